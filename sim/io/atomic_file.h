// Writing an output file so that it is never seen half-written: the bytes go
// to a temporary file beside the target ("<name>.tmp-<pid>"), which is
// renamed over the target only once complete. On any failure the temporary
// file is removed and the target is left as it was.
//
// Outputs come from users and scenarios from elsewhere (issue 18): an output
// that is one of the command's inputs (same device and inode, whatever the
// spelling of the path) or a device, FIFO, socket or directory is refused
// before anything is written, and temporaries left by processes that were
// killed (SIGKILL leaves them) are removed before a new one is made.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace cmksim {

// The temporary name used beside `path` by this process. It fits within
// NAME_MAX whatever the length of the target's name (a long name is cut and
// given a hash of the whole, so two long names never share a temporary).
std::string temporary_path_for(const std::string& path);

// The partial file a sweep shard is written to before it is complete
// ("<name>.part-<pid>"), within NAME_MAX like temporary_path_for.
std::string partial_path_for(const std::string& path);

// Removes the temporaries and partial files of `path` ("<name>.tmp-<pid>",
// "<name>.part-<pid>", with any suffix) whose process no longer exists. Never touches another live process's
// temporary or anything else in the folder. Returns how many it removed.
int remove_stale_temporaries(const std::string& path);

// Ok when `output` may be written: not empty, not an existing device, FIFO,
// socket or directory, and not the same file as any of `inputs`. `option`
// names the option in the message ("-o", "--junit").
Status check_output_path(const std::string& output, const std::vector<std::string>& inputs,
                         const std::string& option = "-o");

// Ok, or what went wrong (nothing is left at `path` then but what was there).
Status write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace cmksim
