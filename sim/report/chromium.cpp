#include "sim/report/chromium.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>

extern char** environ;

namespace cmksim::report {
namespace {

bool executable(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string find_chromium() {
  if (const char* forced = std::getenv("CMKSIM_CHROMIUM"); forced != nullptr) {
    return executable(forced) ? std::string(forced) : std::string();
  }
  const char* path = std::getenv("PATH");
  const std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
    std::size_t from = 0;
    while (from <= dirs.size()) {
      const std::size_t to = std::min(dirs.find(':', from), dirs.size());
      const std::string dir = dirs.substr(from, to - from);
      const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
      if (executable(candidate)) return candidate;
      from = to + 1;
    }
  }
  return "";
}

std::string make_temp_dir(const std::string& prefix) {
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  std::string pattern = (ec ? std::string("/tmp") : base.string()) + "/" + prefix + "XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

std::vector<std::string> headless_flags(const std::string& user_data_dir) {
  return {"--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-extensions",
          "--user-data-dir=" + user_data_dir};
}

std::string file_url(const std::string& path) {
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec) absolute = path;
  static const char* const kHex = "0123456789ABCDEF";
  std::string out = "file://";
  for (const char c : absolute) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                       c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

ChromiumRun run_chromium(const std::string& binary, const std::vector<std::string>& args,
                         const std::string& stdout_path, const std::string& stderr_path, int timeout_s) {
  ChromiumRun result;
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // its own process group, so that a timeout ends Chromium's helpers too
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    result.error = "cannot start " + binary + ": " + std::strerror(rc);
    return result;
  }
  result.started = true;
  int status = 0;
  const long polls = static_cast<long>(timeout_s) * 20;  // every 50 ms
  for (long i = 0;; ++i) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      result.error = std::string("waiting for Chromium: ") + std::strerror(errno);
      return result;
    }
    if (i >= polls) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.timed_out = true;
      result.error = binary + " did not finish within " + std::to_string(timeout_s) + " s";
      return result;
    }
    struct timespec pause {0, 50 * 1000 * 1000};
    ::nanosleep(&pause, nullptr);
  }
  // helpers Chromium left behind in its group
  ::kill(-pid, SIGKILL);
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (result.exit_status != 0) result.error = binary + " exited with status " + std::to_string(result.exit_status);
  return result;
}

std::string print_to_pdf(const std::string& binary, const std::string& html_path, const std::string& pdf_path) {
  const std::string profile = make_temp_dir("cmksim-chromium-");
  if (profile.empty()) return "cannot create a temporary folder for Chromium's profile";
  std::error_code ec;
  const std::string pdf_absolute = std::filesystem::absolute(pdf_path, ec).string();
  std::vector<std::string> args = headless_flags(profile);
  args.push_back("--no-pdf-header-footer");
  args.push_back("--print-to-pdf=" + (ec ? pdf_path : pdf_absolute));
  args.push_back(file_url(html_path));
  const ChromiumRun run = run_chromium(binary, args, profile + "/stdout.txt", profile + "/stderr.txt", 120);
  std::string error = run.error;
  if (error.empty()) {
    struct stat st {};
    if (::stat(pdf_path.c_str(), &st) != 0 || st.st_size == 0) error = binary + " wrote no PDF";
  }
  std::filesystem::remove_all(profile, ec);
  return error;
}

}  // namespace cmksim::report
