// Writing an output file so that it is never seen half-written: the bytes go
// to a temporary file beside the target ("<path>.tmp-<pid>"), which is
// renamed over the target only once complete. On any failure the temporary
// file is removed and the target is left as it was.
#pragma once
#include <string>
#include <string_view>

namespace cmksim {

// The temporary name used beside `path`.
std::string temporary_path_for(const std::string& path);

// Returns "" on success, otherwise what went wrong.
std::string write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace cmksim
