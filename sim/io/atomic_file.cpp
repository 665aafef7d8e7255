#include "sim/io/atomic_file.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace cmksim {
namespace {

constexpr std::size_t kNameMax = NAME_MAX;  // 255 on Linux
constexpr std::size_t kPidRoom = 5 + 10 + 16;  // ".tmp-" + a pid + a suffix such as ".pdf"

struct SplitPath {
  std::string folder;  // "" or ending in '/'
  std::string name;
};

SplitPath split(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash + 1), path.substr(slash + 1)};
}

// FNV-1a: a short, stable name for a long one.
std::string short_hash(const std::string& text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// The part of the temporary's name before ".tmp-<pid>".
std::string temporary_stem(const std::string& name) {
  if (name.size() + kPidRoom <= kNameMax) return name;
  return name.substr(0, kNameMax - kPidRoom - 17) + "-" + short_hash(name);
}

bool process_exists(long long pid) {
  if (pid <= 0 || pid > INT_MAX) return false;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

std::string temporary_path_for(const std::string& path) {
  const SplitPath p = split(path);
  return p.folder + temporary_stem(p.name) + ".tmp-" + std::to_string(static_cast<long long>(getpid()));
}

std::string partial_path_for(const std::string& path) {
  const SplitPath p = split(path);
  return p.folder + temporary_stem(p.name) + ".part-" + std::to_string(static_cast<long long>(getpid()));
}

int remove_stale_temporaries(const std::string& path) {
  const SplitPath p = split(path);
  const std::string stem = temporary_stem(p.name);
  DIR* dir = opendir(p.folder.empty() ? "." : p.folder.c_str());
  if (dir == nullptr) return 0;
  int removed = 0;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    std::string prefix;
    for (const char* infix : {".tmp-", ".part-"}) {
      if (name.compare(0, stem.size() + std::strlen(infix), stem + infix) == 0) prefix = stem + infix;
    }
    if (prefix.empty()) continue;
    std::size_t end = prefix.size();
    while (end < name.size() && name[end] >= '0' && name[end] <= '9' && end - prefix.size() < 10) ++end;
    if (end == prefix.size() || (end < name.size() && name[end] != '.')) continue;  // not "<pid>" or "<pid>.ext"
    const long long pid = std::stoll(name.substr(prefix.size(), end - prefix.size()));
    if (pid == static_cast<long long>(getpid()) || process_exists(pid)) continue;
    if (std::remove((p.folder + name).c_str()) == 0) ++removed;
  }
  closedir(dir);
  return removed;
}

Status check_output_path(const std::string& output, const std::vector<std::string>& inputs,
                         const std::string& option) {
  if (output.empty()) return Error(option + ": the output path is empty");
  struct stat out {};
  if (stat(output.c_str(), &out) != 0) return {};  // does not exist yet: nothing to destroy
  if (!S_ISREG(out.st_mode)) {
    return Error(option + " " + output + ": not a regular file (a device, FIFO, socket or folder): refused");
  }
  for (const std::string& input : inputs) {
    struct stat in {};
    if (stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
      return Error(option + " " + output + " is the input " + input + ": writing it would destroy it");
    }
  }
  return {};
}

Status write_file_atomically(const std::string& path, std::string_view bytes) {
  remove_stale_temporaries(path);
  const std::string tmp = temporary_path_for(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error("cannot create " + tmp + ": " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Error("cannot write " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return Error("cannot rename " + tmp + " into place: " + why);
  }
  return Status();
}

}  // namespace cmksim
