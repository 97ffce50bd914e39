// A growable byte buffer whose spare room is left uninitialised, so reading a file into it
// costs one copy and no memset (std::string::resize zero-fills; C++20 has no
// resize_and_overwrite).
#pragma once

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

namespace mtr::oci::detail {

class ByteBuffer {
 public:
  explicit ByteBuffer(std::size_t capacity)
      : data_(new char[capacity == 0 ? 1 : capacity]), capacity_(capacity) {}
  // At least `n` writable bytes after the content (grows by half again, copying once).
  char* room(std::size_t n) {
    if (capacity_ - size_ < n) {
      std::size_t grown = std::max(size_ + n, capacity_ + capacity_ / 2);
      std::unique_ptr<char[]> bigger(new char[grown]);
      if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
      data_ = std::move(bigger);
      capacity_ = grown;
    }
    return data_.get() + size_;
  }
  std::size_t spare() const { return capacity_ - size_; }
  void commit(std::size_t n) { size_ += n; }
  void append(const char* bytes, std::size_t n) {
    std::memcpy(room(n), bytes, n);
    size_ += n;
  }
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace mtr::oci::detail
