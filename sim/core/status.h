// One error type for everything that can refuse input: the loaders, the
// profiles, the resource graph's checks, the results reader and the command
// line. An Error names where it comes from when there is a place to name
// (file, 1-based line and column); `str()` is the one line users see:
// "file:line:col: message", "file: message" without a position, or just the
// message when there is no file.
//
// Status: ok, or one Error. Expected<T>: a T, or one Error. Neither throws;
// reading the value of a failed Expected (or the error of an ok one) is a bug
// in cmksim and aborts (CMKSIM_CHECK).
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "sim/core/check.h"

namespace cmksim {

struct Error {
  std::string file;  // the label of the input; "" for command-line errors
  int line = 0;      // 1-based; 0 when the error has no position
  int column = 0;    // 1-based
  std::string message;

  Error() = default;
  explicit Error(std::string msg) : message(std::move(msg)) {}
  Error(std::string file_label, int line_no, int column_no, std::string msg)
      : file(std::move(file_label)), line(line_no), column(column_no), message(std::move(msg)) {}

  std::string str() const {
    std::string where = file;
    if (line > 0) {
      if (!where.empty()) where += ":";
      where += std::to_string(line) + ":" + std::to_string(column);
    }
    return where.empty() ? message : where + ": " + message;
  }
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Error e) : error_(std::move(e)) {}  // NOLINT: implicit, so `return Error{...};` reads well
  static Status ok_status() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    CMKSIM_CHECK(error_.has_value(), "Status::error() on an ok status");
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Expected(Error e) : v_(std::in_place_index<1>, std::move(e)) {}      // NOLINT
  Expected(Status s) : v_(std::in_place_index<1>, s.error()) {}         // NOLINT: only from a failed Status

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    CMKSIM_CHECK(ok(), "Expected::value() on an error");
    return std::get<0>(v_);
  }
  T& value() & {
    CMKSIM_CHECK(ok(), "Expected::value() on an error");
    return std::get<0>(v_);
  }
  T&& value() && {
    CMKSIM_CHECK(ok(), "Expected::value() on an error");
    return std::get<0>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const {
    CMKSIM_CHECK(!ok(), "Expected::error() on a value");
    return std::get<1>(v_);
  }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace cmksim
