// Headless Chromium, when it is installed: print-to-PDF for
// `cmksim report --format pdf`, and the browser check of the report tests.
// Nothing here is needed for HTML or Markdown reports.
#pragma once
#include <string>
#include <vector>

namespace cmksim::report {

// The Chromium to use: $CMKSIM_CHROMIUM when set (even if it is not there,
// so a test can pretend Chromium is absent), else the first of chromium,
// chromium-browser, google-chrome, google-chrome-stable on $PATH; "" when
// none is found.
std::string find_chromium();

// A new empty folder under the temporary directory ("" on failure).
std::string make_temp_dir(const std::string& prefix);

// The flags that make Chromium headless, quiet and offline, with its profile
// in `user_data_dir` (a new empty folder).
std::vector<std::string> headless_flags(const std::string& user_data_dir);

// "file:///abs/path" with the characters a URL cannot hold percent-encoded.
std::string file_url(const std::string& path);

struct ChromiumRun {
  bool started = false;
  bool timed_out = false;
  int exit_status = -1;
  std::string error;  // why it could not run or did not finish
};

// Runs `binary args...` with stdout and stderr written to the given files,
// killing it (and the processes it started) after `timeout_s` seconds.
ChromiumRun run_chromium(const std::string& binary, const std::vector<std::string>& args,
                         const std::string& stdout_path, const std::string& stderr_path, int timeout_s);

// Prints the HTML file to a PDF through headless Chromium. Returns "" or
// the reason it failed.
std::string print_to_pdf(const std::string& binary, const std::string& html_path, const std::string& pdf_path);

}  // namespace cmksim::report
