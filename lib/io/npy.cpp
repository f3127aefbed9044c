#include "io/npy.h"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "common/error.h"
#include "common/file_util.h"

namespace sparrow {
namespace {

static_assert(sizeof(size_t) == sizeof(uint64_t), "a 64-bit size_t is assumed");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kArrayAlign = 64;           // numpy pads the header to this
constexpr size_t kGrowthAxisMaxDigits = 21;  // numpy's spare header space after the dict
// numpy's bound on shape and on size * itemsize (its intp).
constexpr uint64_t kMaxArrayBytes = std::numeric_limits<int64_t>::max();
constexpr std::string_view kWhitespace = " \t\r\n";
constexpr size_t kZipChunk = size_t{1} << 16;

constexpr char kAllowedMagic[] = "a .npy file starting with \\x93NUMPY";
constexpr char kAllowedHeader[] =
    "a dict literal such as {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
constexpr char kAllowedKeys[] = "the keys 'descr', 'fortran_order' and 'shape', each once";
constexpr char kAllowedDtypes[] =
    "a numeric dtype: <f4 <f8 <i1 <i2 <i4 <i8 <u1 <u2 <u4 <u8 |i1 |u1 |b1";
constexpr char kAllowedShape[] = "a tuple of non-negative integers such as (), (5,) or (2, 3)";
constexpr char kAllowedZip[] =
    "a .npz (zip) archive as written by numpy.savez or numpy.savez_compressed";
constexpr char kAllowedMember[] = "an intact stored or deflated zip member";

bool valid_dtype(char kind, int itemsize) {
  switch (kind) {
    case 'f':
      return itemsize == 4 || itemsize == 8;
    case 'i':
    case 'u':
      return itemsize == 1 || itemsize == 2 || itemsize == 4 || itemsize == 8;
    case 'b':
      return itemsize == 1;
    default:
      return false;
  }
}

std::string descr_of(char kind, int itemsize) {
  return std::string(1, itemsize == 1 ? '|' : '<') + kind + std::to_string(itemsize);
}

// Python's repr of a shape tuple.
std::string shape_repr(const std::vector<size_t>& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + (shape.size() == 1 ? ",)" : ")");
}

uint64_t load_le(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void store_le(uint64_t v, size_t n, std::string* out) {
  for (size_t i = 0; i < n; ++i, v >>= 8) out->push_back(static_cast<char>(v & 0xff));
}

int64_t sign_extend(uint64_t v, int itemsize) {
  const int shift = 64 - 8 * itemsize;
  return static_cast<int64_t>(v << shift) >> shift;
}

template <typename To, typename From>
To bit_cast(From from) {
  static_assert(sizeof(To) == sizeof(From));
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

// Names the array in errors: "FILE: FIELD: PART: got VALUE; allowed: ALLOWED".
class Origin {
 public:
  Origin(const std::string& file, const std::string& field) : file_(file), field_(field) {}
  [[noreturn]] void fail(const std::string& part, const std::string& value,
                         const std::string& allowed) const {
    std::string key = field_;
    if (!part.empty()) key += (key.empty() ? "" : ": ") + part;
    throw_input_error(file_, key, value, allowed);
  }

 private:
  const std::string& file_;
  const std::string& field_;
};

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<size_t> shape;
};

// Strict parser of the header dict; the text is untrusted and may be anything.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const Origin& origin) : text_(text), origin_(origin) {}

  Header parse() {
    Header h;
    bool seen_descr = false, seen_fortran = false, seen_shape = false;
    skip_ws();
    expect('{', "header", kAllowedHeader);
    skip_ws();
    while (!at('}')) {
      const std::string key = parse_string("header", kAllowedHeader);
      skip_ws();
      expect(':', "header", kAllowedHeader);
      skip_ws();
      bool* seen = nullptr;
      if (key == "descr") {
        seen = &seen_descr;
        h.descr = parse_string("descr", kAllowedDtypes);
      } else if (key == "fortran_order") {
        seen = &seen_fortran;
        h.fortran_order = parse_bool();
      } else if (key == "shape") {
        seen = &seen_shape;
        h.shape = parse_shape();
      } else {
        origin_.fail("header", "unknown key '" + excerpt(key, 40) + "'", kAllowedKeys);
      }
      if (*seen) origin_.fail("header", "key '" + key + "' twice", kAllowedKeys);
      *seen = true;
      skip_ws();
      if (!at('}')) {
        expect(',', "header", kAllowedHeader);
        skip_ws();
      }
    }
    ++pos_;
    skip_ws();
    if (pos_ != text_.size()) malformed("header", kAllowedHeader);
    if (!seen_descr || !seen_fortran || !seen_shape) {
      const char* missing = !seen_descr ? "descr" : !seen_fortran ? "fortran_order" : "shape";
      origin_.fail("header", std::string("no key '") + missing + "'", kAllowedKeys);
    }
    return h;
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skip_ws() {
    while (pos_ < text_.size() && kWhitespace.find(text_[pos_]) != std::string_view::npos) ++pos_;
  }

  [[noreturn]] void malformed(const std::string& part, const std::string& allowed) const {
    std::string_view rest = pos_ < text_.size() ? text_.substr(pos_) : std::string_view();
    rest = rest.substr(0, rest.find_last_not_of(kWhitespace) + 1);  // npos + 1 == 0
    origin_.fail(part, "'" + excerpt(rest, 40) + "' at header byte " + std::to_string(pos_),
                 allowed);
  }

  void expect(char c, const std::string& part, const std::string& allowed) {
    if (!at(c)) malformed(part, allowed);
    ++pos_;
  }

  std::string parse_string(const std::string& part, const std::string& allowed) {
    if (!at('\'') && !at('"')) malformed(part, allowed);
    const char quote = text_[pos_];
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' || text_[pos_] == '\n') malformed(part, allowed);
      ++pos_;
    }
    if (pos_ == text_.size()) malformed(part, allowed);
    return std::string(text_.substr(start, pos_++ - start));
  }

  bool parse_bool() {
    for (const std::string_view word : {"True", "False"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return word == "True";
      }
    }
    malformed("fortran_order", "False");
  }

  std::vector<size_t> parse_shape() {
    expect('(', "shape", kAllowedShape);
    std::vector<size_t> dims;
    skip_ws();
    while (!at(')')) {
      dims.push_back(parse_dim());
      skip_ws();
      if (at(')') && dims.size() == 1) malformed("shape", kAllowedShape);  // (5) is no tuple
      if (!at(')')) {
        expect(',', "shape", kAllowedShape);
        skip_ws();
      }
    }
    ++pos_;
    return dims;
  }

  size_t parse_dim() {
    const size_t start = pos_;
    uint64_t v = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const unsigned digit = text_[pos_] - '0';
      if (v > (kMaxArrayBytes - digit) / 10) {
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
        origin_.fail("shape", "dimension " + excerpt(text_.substr(start, pos_ - start), 40),
                     "dimensions below 2^63");
      }
      v = v * 10 + digit;
      ++pos_;
    }
    if (pos_ == start) malformed("shape", kAllowedShape);
    return v;
  }

  std::string_view text_;
  const Origin& origin_;
  size_t pos_ = 0;
};

void parse_descr(const std::string& descr, const Origin& origin, NpyArray* a) {
  const std::string quoted = "'" + excerpt(descr, 40) + "'";
  const bool well_formed = descr.size() == 3 &&
                           std::string_view("<>|=").find(descr[0]) != std::string_view::npos &&
                           descr[2] >= '1' && descr[2] <= '9';
  if (!well_formed || !valid_dtype(descr[1], descr[2] - '0'))
    origin.fail("descr", quoted, kAllowedDtypes);
  a->kind = descr[1];
  a->itemsize = descr[2] - '0';
  if (a->itemsize > 1 && descr[0] != '<')
    origin.fail("descr", quoted + (descr[0] == '>' ? " (big-endian)" : " (no explicit byte order)"),
                kAllowedDtypes);
}

void check_layout(const NpyArray& a) {
  if (!valid_dtype(a.kind, a.itemsize))
    throw std::logic_error("NpyArray: unsupported dtype kind '" + std::string(1, a.kind) +
                           "' itemsize " + std::to_string(a.itemsize));
  if (a.bytes.size() != a.size() * a.itemsize)
    throw std::logic_error("NpyArray: " + std::to_string(a.bytes.size()) +
                           " data bytes for shape " + shape_repr(a.shape) + " of " +
                           descr_of(a.kind, a.itemsize));
}

NpyArray make_array(std::vector<size_t> shape, char kind, int itemsize, size_t count) {
  NpyArray a;
  a.shape = std::move(shape);
  a.kind = kind;
  a.itemsize = itemsize;
  if (a.size() != count)
    throw std::invalid_argument("NpyArray: shape " + shape_repr(a.shape) + " for " +
                                std::to_string(count) + " values");
  a.bytes.reserve(count * itemsize);
  return a;
}

class ZipError {
 public:
  ZipError() { zip_error_init(&error_); }
  ~ZipError() { zip_error_fini(&error_); }
  ZipError(const ZipError&) = delete;
  ZipError& operator=(const ZipError&) = delete;
  zip_error_t* get() { return &error_; }
  std::string text() { return zip_error_strerror(&error_); }

 private:
  zip_error_t error_;
};

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ZipSourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;
using ZipSourcePtr = std::unique_ptr<zip_source_t, ZipSourceFree>;

// Reads a member, trusting its declared size only as an upper bound.
std::string read_member(zip_t* archive, zip_uint64_t index, zip_uint64_t declared,
                        const std::string& path, const std::string& key) {
  if (declared > kMaxNpzMemberBytes)
    throw_input_error(path, key, "a member of " + std::to_string(declared) + " bytes",
                      "members of at most " + std::to_string(kMaxNpzMemberBytes) + " bytes");
  const ZipFilePtr file(zip_fopen_index(archive, index, 0));
  if (!file)
    throw_input_error(path, key,
                      "a member that cannot be opened (" + std::string(zip_strerror(archive)) + ")",
                      kAllowedMember);
  std::string out;
  std::string chunk(kZipChunk, '\0');
  for (;;) {
    const zip_uint64_t want = std::min<zip_uint64_t>(kZipChunk, declared + 1 - out.size());
    const zip_int64_t got = zip_fread(file.get(), chunk.data(), want);
    if (got < 0)
      throw_input_error(path, key,
                        "a corrupted member (" + std::string(zip_file_strerror(file.get())) + ")",
                        kAllowedMember);
    if (got == 0) break;
    out.append(chunk.data(), static_cast<size_t>(got));
    if (out.size() > declared)
      throw_input_error(path, key,
                        "a member longer than its declared " + std::to_string(declared) + " bytes",
                        kAllowedMember);
  }
  if (out.size() != declared)
    throw_input_error(path, key,
                      "a truncated member (" + std::to_string(out.size()) + " of " +
                          std::to_string(declared) + " bytes)",
                      kAllowedMember);
  return out;
}

[[noreturn]] void zip_write_failure(const std::string& what) {
  throw std::runtime_error("serialize_npz: libzip: " + what);
}

}  // namespace

size_t NpyArray::size() const {
  size_t n = 1;
  for (size_t d : shape) n *= d;
  return n;
}

std::vector<double> NpyArray::to_double() const {
  check_layout(*this);
  std::vector<double> out(size());
  for (size_t i = 0; i < out.size(); ++i) {
    const uint64_t raw = load_le(bytes.data() + i * itemsize, itemsize);
    switch (kind) {
      case 'f':
        out[i] =
            itemsize == 4 ? bit_cast<float>(static_cast<uint32_t>(raw)) : bit_cast<double>(raw);
        break;
      case 'i':
        out[i] = static_cast<double>(sign_extend(raw, itemsize));
        break;
      case 'u':
        out[i] = static_cast<double>(raw);
        break;
      default:
        out[i] = raw != 0;
    }
  }
  return out;
}

std::vector<int64_t> NpyArray::to_int64() const {
  check_layout(*this);
  if (kind == 'f')
    throw std::logic_error("NpyArray::to_int64: float dtype " + descr_of(kind, itemsize));
  std::vector<int64_t> out(size());
  for (size_t i = 0; i < out.size(); ++i) {
    const uint64_t raw = load_le(bytes.data() + i * itemsize, itemsize);
    if (kind == 'i') {
      out[i] = sign_extend(raw, itemsize);
    } else if (kind == 'b') {
      out[i] = raw != 0;
    } else if (raw > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      throw std::out_of_range("NpyArray::to_int64: <u8 value " + std::to_string(raw) +
                              " above INT64_MAX");
    } else {
      out[i] = static_cast<int64_t>(raw);
    }
  }
  return out;
}

NpyArray NpyArray::from_double(std::vector<size_t> shape, const std::vector<double>& v) {
  NpyArray a = make_array(std::move(shape), 'f', 8, v.size());
  for (double x : v) store_le(bit_cast<uint64_t>(x), 8, &a.bytes);
  return a;
}

NpyArray NpyArray::from_int32(std::vector<size_t> shape, const std::vector<int32_t>& v) {
  NpyArray a = make_array(std::move(shape), 'i', 4, v.size());
  for (int32_t x : v) store_le(static_cast<uint32_t>(x), 4, &a.bytes);
  return a;
}

NpyArray NpyArray::from_int64(std::vector<size_t> shape, const std::vector<int64_t>& v) {
  NpyArray a = make_array(std::move(shape), 'i', 8, v.size());
  for (int64_t x : v) store_le(static_cast<uint64_t>(x), 8, &a.bytes);
  return a;
}

NpyArray NpyArray::from_uint8(std::vector<size_t> shape, const std::vector<uint8_t>& v) {
  NpyArray a = make_array(std::move(shape), 'u', 1, v.size());
  a.bytes.assign(v.begin(), v.end());
  return a;
}

NpyArray parse_npy(const std::string& bytes, const std::string& file, const std::string& field) {
  const Origin origin(file, field);
  const size_t n = bytes.size();
  if (bytes.compare(0, kMagicLen, kMagic) != 0)
    origin.fail(
        "", "no .npy magic ('" + excerpt(std::string_view(bytes).substr(0, kMagicLen), 40) + "')",
        kAllowedMagic);
  if (n < kMagicLen + 2)
    origin.fail("", "a truncated header (" + std::to_string(n) + " bytes)",
                "a complete .npy header");
  const int major = static_cast<unsigned char>(bytes[kMagicLen]);
  const int minor = static_cast<unsigned char>(bytes[kMagicLen + 1]);
  if (major < 1 || major > 3 || minor != 0)
    origin.fail("", "format version " + std::to_string(major) + "." + std::to_string(minor),
                "format version 1.0, 2.0 or 3.0");
  const size_t len_size = major == 1 ? 2 : 4;
  const size_t header_start = kMagicLen + 2 + len_size;
  if (n < header_start)
    origin.fail("", "a truncated header (" + std::to_string(n) + " bytes)",
                "a complete .npy header");
  const uint64_t header_len = load_le(bytes.data() + kMagicLen + 2, len_size);
  if (header_len > n - header_start)
    origin.fail("",
                "a truncated header (" + std::to_string(n - header_start) + " of " +
                    std::to_string(header_len) + " header bytes)",
                "a complete .npy header");
  const Header h =
      HeaderParser(std::string_view(bytes).substr(header_start, header_len), origin).parse();

  NpyArray a;
  parse_descr(h.descr, origin, &a);
  if (h.fortran_order) origin.fail("fortran_order", "True (Fortran order)", "False (C order)");
  uint64_t max_bytes = a.itemsize;
  for (size_t d : h.shape) {
    const uint64_t factor = std::max<uint64_t>(d, 1);
    if (max_bytes > kMaxArrayBytes / factor)
      origin.fail("shape", shape_repr(h.shape) + " of " + h.descr + " (2^63 bytes or more)",
                  "an array of fewer than 2^63 bytes");
    max_bytes *= factor;
  }
  a.shape = h.shape;
  const uint64_t required = static_cast<uint64_t>(a.size()) * a.itemsize;
  const size_t data_start = header_start + header_len;
  const uint64_t available = n - data_start;
  if (available < required)
    origin.fail("",
                "a truncated array (" + std::to_string(available) + " of " +
                    std::to_string(required) + " data bytes)",
                "a complete .npy array");
  if (available > required)
    origin.fail("",
                std::to_string(available - required) + " bytes after the " +
                    std::to_string(required) + " data bytes",
                "nothing after the array data");
  a.bytes = bytes.substr(data_start);
  return a;
}

std::string serialize_npy(const NpyArray& a) {
  check_layout(a);
  std::string dict = "{'descr': '" + descr_of(a.kind, a.itemsize) +
                     "', 'fortran_order': False, 'shape': " + shape_repr(a.shape) + ", }";
  if (!a.shape.empty()) dict.append(kGrowthAxisMaxDigits - std::to_string(a.shape[0]).size(), ' ');
  // Header text is dict, spaces, '\n'; magic to data start is a multiple of kArrayAlign.
  const size_t unpadded = dict.size() + 1;
  const auto padded = [&](size_t len_size) {
    const size_t prefix = kMagicLen + 2 + len_size;
    return unpadded + kArrayAlign - (prefix + unpadded) % kArrayAlign;
  };
  const bool v1 = padded(2) <= 0xffff;
  const size_t len_size = v1 ? 2 : 4;
  const size_t header_len = padded(len_size);
  std::string out(kMagic, kMagicLen);
  out += static_cast<char>(v1 ? 1 : 2);
  out += '\0';
  store_le(header_len, len_size, &out);
  out += dict;
  out.append(header_len - unpadded, ' ');
  out += '\n';
  return out + a.bytes;
}

NpyArray read_npy(const std::string& path, uint64_t max_bytes) {
  return parse_npy(read_file_bytes(path, max_bytes), path, "");
}

void write_npy(const std::string& path, const NpyArray& a) {
  write_file_atomic(path, serialize_npy(a));
}

std::map<std::string, NpyArray> parse_npz(const std::string& bytes, const std::string& file,
                                          const NpzWant* want) {
  if (bytes.empty()) throw_input_error(file, "", "an empty file", kAllowedZip);
  ZipError error;
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, error.get());
  if (!source)
    throw_input_error(file, "", "a buffer libzip refuses (" + error.text() + ")", kAllowedZip);
  const ZipPtr archive(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, error.get()));
  if (!archive) {
    zip_source_free(source);
    throw_input_error(file, "", "no readable zip archive (" + error.text() + ")", kAllowedZip);
  }
  std::map<std::string, NpyArray> out;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive.get(), i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE))
      throw_input_error(file, "member " + std::to_string(i),
                        "an unreadable entry (" + std::string(zip_strerror(archive.get())) + ")",
                        kAllowedZip);
    const std::string name = st.name;
    const std::string_view suffix = ".npy";
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      throw_input_error(file, "member '" + excerpt(name, 200) + "'",
                        "a name without the .npy suffix", "only members named <key>.npy");
    const std::string key = name.substr(0, name.size() - suffix.size());
    if (out.count(key))
      throw_input_error(file, "member '" + excerpt(name, 200) + "'", "a second member of that name",
                        "unique member names");
    const std::string label = excerpt(key, 200);
    if (want && !want->keys.empty() && !want->keys.count(key)) {
      out.emplace(key, NpyArray{});  // named, for the duplicate check; dropped below
      continue;
    }
    if (want && st.size > want->max_member_bytes)
      throw_input_error(file, label, "a member of " + std::to_string(st.size) + " bytes",
                        "at most " + std::to_string(want->max_member_bytes) +
                            " bytes (the largest array this workload reads)");
    out.emplace(key, parse_npy(read_member(archive.get(), i, st.size, file, label), file, label));
  }
  if (want)
    for (auto it = out.begin(); it != out.end();)
      it = want->keys.empty() || want->keys.count(it->first) ? std::next(it) : out.erase(it);
  return out;
}

std::map<std::string, NpyArray> read_npz(const std::string& path, const NpzWant* want) {
  return parse_npz(read_file_bytes(path), path, want);
}

std::string serialize_npz(const std::map<std::string, NpyArray>& arrays) {
  std::vector<std::string> members;  // libzip reads them at zip_close
  members.reserve(arrays.size());
  for (const auto& [key, a] : arrays) {
    if (key.empty()) throw std::invalid_argument("serialize_npz: empty key");
    members.push_back(serialize_npy(a));
  }
  std::tm epoch{};  // 1980-01-01 00:00 local time, the earliest zip timestamp
  epoch.tm_year = 80;
  epoch.tm_mday = 1;
  epoch.tm_isdst = -1;
  const std::time_t mtime = std::mktime(&epoch);

  ZipError error;
  const ZipSourcePtr source(zip_source_buffer_create(nullptr, 0, 0, error.get()));
  if (!source) zip_write_failure(error.text());
  ZipPtr archive(zip_open_from_source(source.get(), ZIP_TRUNCATE, error.get()));
  if (!archive) zip_write_failure(error.text());
  zip_source_keep(source.get());  // the archive's reference is dropped at zip_close
  size_t i = 0;
  for (const auto& entry : arrays) {
    const std::string& member = members[i++];
    zip_source_t* data = zip_source_buffer(archive.get(), member.data(), member.size(), 0);
    if (!data) zip_write_failure(zip_strerror(archive.get()));
    const zip_int64_t index =
        zip_file_add(archive.get(), (entry.first + ".npy").c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      zip_write_failure(zip_strerror(archive.get()));
    }
    if (zip_set_file_compression(archive.get(), index, ZIP_CM_STORE, 0) != 0 ||
        zip_file_set_mtime(archive.get(), index, mtime, 0) != 0)
      zip_write_failure(zip_strerror(archive.get()));
  }
  if (zip_close(archive.get()) != 0) zip_write_failure(zip_strerror(archive.get()));
  archive.release();

  if (zip_source_is_deleted(source.get()))  // libzip writes nothing for an empty archive
    return std::string("PK\x05\x06", 4) + std::string(18, '\0');
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(source.get(), &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
      zip_source_open(source.get()) != 0)
    zip_write_failure("cannot read back the archive");
  std::string out(st.size, '\0');
  const zip_int64_t got = zip_source_read(source.get(), out.data(), st.size);
  zip_source_close(source.get());
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
    zip_write_failure("cannot read back the archive");
  return out;
}

void write_npz(const std::string& path, const std::map<std::string, NpyArray>& arrays) {
  write_file_atomic(path, serialize_npz(arrays));
}

}  // namespace sparrow
