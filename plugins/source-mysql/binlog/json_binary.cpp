#include "binlog/json_binary.hpp"

#include "binlog/byte_reader.hpp"
#include "binlog/column_type.hpp"
#include "binlog/decimal.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace ferry::mysql {
namespace {

// Value types (JSONB_TYPE_* in MySQL's json_binary.cc).
constexpr uint8_t kSmallObject = 0x00;
constexpr uint8_t kLargeObject = 0x01;
constexpr uint8_t kSmallArray = 0x02;
constexpr uint8_t kLargeArray = 0x03;
constexpr uint8_t kLiteral = 0x04;
constexpr uint8_t kInt16 = 0x05;
constexpr uint8_t kUint16 = 0x06;
constexpr uint8_t kInt32 = 0x07;
constexpr uint8_t kUint32 = 0x08;
constexpr uint8_t kInt64 = 0x09;
constexpr uint8_t kUint64 = 0x0a;
constexpr uint8_t kDouble = 0x0b;
constexpr uint8_t kString = 0x0c;
constexpr uint8_t kOpaque = 0x0f;

constexpr uint8_t kNullLiteral = 0x00;
constexpr uint8_t kTrueLiteral = 0x01;
constexpr uint8_t kFalseLiteral = 0x02;

// A valid document prints to at most about 6 times its size (a control character, one byte,
// prints as \u00XX). Entries of a corrupt one can point at the same child again and again, which
// would print without end: past this budget the document is refused.
constexpr size_t kMaxTextPerByte = 6;
constexpr size_t kTextSlack = 64;

// my_gcvt()'s field width for doubles (MY_GCVT_MAX_FIELD_WIDTH: DBL_DIG + 4 + DBL_DIG) and the
// exponent bounds of its fixed notation (MAX_DECPT_FOR_F_FORMAT = DBL_DIG).
constexpr int kGcvtWidth = 34;
constexpr int kMaxDecptForFixed = 15;

bool inlined(uint8_t type, bool large) {
  switch (type) {
    case kLiteral:
    case kInt16:
    case kUint16: return true;
    case kInt32:
    case kUint32: return large;
    default: return false;
  }
}

void append_hex_byte(std::string& out, unsigned value) {
  static const char* kDigits = "0123456789abcdef";
  out += kDigits[(value >> 4) & 15];
  out += kDigits[value & 15];
}


// MySQL's base64_encode(): standard alphabet, '=' padding, a line break before every 77th
// character.
std::string base64_like_mysql(std::string_view bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t on_line = 0;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    if (on_line == 76) {
      out += '\n';
      on_line = 0;
    }
    const size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    uint32_t group = 0;
    for (size_t k = 0; k < 3; ++k) group = (group << 8) | (k < n ? static_cast<uint8_t>(bytes[i + k]) : 0u);
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += n > 1 ? kAlphabet[(group >> 6) & 63] : '=';
    out += n > 2 ? kAlphabet[group & 63] : '=';
    on_line += 4;
  }
  return out;
}

// my_gcvt(d, MY_GCVT_ARG_DOUBLE, MY_GCVT_MAX_FIELD_WIDTH), then ".0" when the text has neither a
// point nor an exponent, as Json_wrapper::to_string does. my_gcvt starts from dtoa's shortest
// digits that read back (std::to_chars gives the same) and picks fixed or exponent notation by
// its width rule, written out below; at this width no digit is ever cut, so its re-rounding
// branches never run and are left out.
bool append_double(std::string& out, double d) {
  if (!std::isfinite(d)) return false;  // JSON has no NaN or infinity; MySQL never stores them
  char buf[40];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  if (ec != std::errc()) return false;
  // "-d.ddde+XX": the digits, and the exponent of the first one.
  std::string_view text(buf, static_cast<size_t>(end - buf));
  const bool minus = text.front() == '-';
  if (minus) text.remove_prefix(1);
  const size_t e = text.find('e');
  std::string digits(text.substr(0, e));
  if (digits.size() > 1) digits.erase(1, 1);  // the point
  int exponent = 0;
  std::from_chars(text.data() + e + 1 + (text[e + 1] == '+'), text.data() + text.size(), exponent);
  const int len = static_cast<int>(digits.size());
  const int decpt = exponent + 1;  // dtoa's: the value is 0.DIGITS * 10^decpt
  const int width = kGcvtWidth - (d < 0 ? 1 : 0);
  const int exp_len = 1 + (decpt >= 101 || decpt <= -99) + (decpt >= 11 || decpt <= -9);
  const bool have_space = (decpt <= 0 ? len - decpt + 2 : decpt < len ? len + 1 : decpt) <= width;
  const bool force_e = decpt <= 0 && width <= 2 - decpt && width >= 3 + exp_len;
  const bool fixed =
      (have_space || (decpt <= width && (decpt >= -1 || (decpt == -2 && (len > 1 || !force_e))) && !force_e)) &&
      (!have_space || (decpt >= -kMaxDecptForFixed + 1 && (decpt <= kMaxDecptForFixed || len > decpt)));
  const size_t start = out.size();
  if (minus) out += '-';
  if (fixed) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-decpt), '0');
      out += digits;
    } else if (decpt < len) {
      out.append(digits, 0, static_cast<size_t>(decpt));
      out += '.';
      out.append(digits, static_cast<size_t>(decpt));
    } else {
      out += digits;
      out.append(static_cast<size_t>(decpt - len), '0');
    }
  } else {
    out += digits[0];
    if (len > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += std::to_string(decpt - 1);
  }
  if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
  return true;
}

// Prints one document; offsets are into `doc_`, so errors can say where.
class JsonText {
 public:
  JsonText(std::string_view doc, std::string& out, std::string& error)
      : doc_(doc), out_(out), error_(error), budget_(out.size() + doc.size() * kMaxTextPerByte + kTextSlack) {}

  bool document() {
    if (doc_.empty()) {
      out_ += "null";  // MySQL reads an empty document (left by INSERT IGNORE) as null
      return true;
    }
    return value(static_cast<uint8_t>(doc_[0]), 1, doc_.size(), 0);
  }

 private:
  bool fail(size_t at, const std::string& what) {
    error_ = "binary JSON: " + what + " (at byte " + std::to_string(at) + " of " + std::to_string(doc_.size()) + ")";
    return false;
  }

  uint64_t le(size_t at, size_t n) const {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(doc_[at + i])) << (8 * i);
    return v;
  }

  // Reads a variable-length length at `at` (before `end`): at most 5 bytes, at most 32 bits.
  bool variable_length(size_t at, size_t end, uint64_t& length, size_t& used) {
    length = 0;
    for (size_t i = 0; i < 5 && at + i < end; ++i) {
      const auto byte = static_cast<uint8_t>(doc_[at + i]);
      length |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) {
        used = i + 1;
        if (length > UINT32_MAX) return fail(at, "a length over 32 bits");
        if (length > end - at - used) {
          return fail(at, "a length of " + std::to_string(length) + " bytes, where " + std::to_string(end - at - used) +
                              " remain");
        }
        return true;
      }
    }
    return fail(at, "a length that does not end");
  }

  // The value of `type` whose bytes start at `at`; its enclosing container (or the document)
  // ends at `end`. `depth` counts the containers around it.
  bool value(uint8_t type, size_t at, size_t end, size_t depth) {
    switch (type) {
      case kSmallObject: return container(true, false, at, end, depth);
      case kLargeObject: return container(true, true, at, end, depth);
      case kSmallArray: return container(false, false, at, end, depth);
      case kLargeArray: return container(false, true, at, end, depth);
      default: return scalar(type, at, end);
    }
  }

  bool container(bool object, bool large, size_t at, size_t end, size_t depth) {
    const char* what = object ? "object" : "array";
    if (depth + 1 > kMaxJsonDepth) return fail(at, std::string(what) + " nested deeper than 100 levels");
    const size_t offset_size = large ? 4 : 2;
    if (end - at < 2 * offset_size) return fail(at, std::string(what) + " header is truncated");
    const uint64_t count = le(at, offset_size);
    const uint64_t bytes = le(at + offset_size, offset_size);
    if (bytes > end - at) {
      return fail(at, std::string(what) + " claims " + std::to_string(bytes) + " bytes, where " + std::to_string(end - at) +
                          " remain");
    }
    const uint64_t key_entry = offset_size + 2;
    const uint64_t value_entry = 1 + offset_size;
    const uint64_t keys_at = 2 * offset_size;
    const uint64_t values_at = keys_at + (object ? count * key_entry : 0);
    const uint64_t header = values_at + count * value_entry;  // at most 2^32 * 11: no overflow
    if (header > bytes) {
      return fail(at, std::string(what) + " of " + std::to_string(count) + " members has a header of " +
                          std::to_string(header) + " bytes in its " + std::to_string(bytes));
    }
    out_ += object ? '{' : '[';
    for (uint64_t i = 0; i < count; ++i) {
      if (out_.size() > budget_) return fail(at, std::string(what) + "'s entries print the same values over and over");
      if (i > 0) out_ += ", ";
      if (object) {
        const size_t entry = at + keys_at + i * key_entry;
        const uint64_t key_offset = le(entry, offset_size);
        const uint64_t key_length = le(entry + offset_size, 2);
        if (key_offset < header || key_offset + key_length > bytes) {
          return fail(entry, "key " + std::to_string(i) + " lies outside its object");
        }
        append_json_quoted(out_, doc_.substr(at + key_offset, key_length));
        out_ += ": ";
      }
      const size_t entry = at + values_at + i * value_entry;
      const auto type = static_cast<uint8_t>(doc_[entry]);
      if (inlined(type, large)) {
        if (!scalar(type, entry + 1, entry + value_entry)) return false;
        continue;
      }
      const uint64_t offset = le(entry + 1, offset_size);
      if (offset < header || offset >= bytes) {
        return fail(entry, "value " + std::to_string(i) + " of its " + what + " lies outside it (offset " +
                               std::to_string(offset) + ")");
      }
      if (!value(type, at + offset, at + bytes, depth + 1)) return false;
    }
    out_ += object ? '}' : ']';
    return true;
  }

  bool scalar(uint8_t type, size_t at, size_t end) {
    const size_t available = end - at;
    auto need = [&](size_t n, const char* what) {
      return available >= n || fail(at, std::string(what) + " is truncated");
    };
    switch (type) {
      case kLiteral: {
        if (!need(1, "literal")) return false;
        switch (static_cast<uint8_t>(doc_[at])) {
          case kNullLiteral: out_ += "null"; return true;
          case kTrueLiteral: out_ += "true"; return true;
          case kFalseLiteral: out_ += "false"; return true;
          default: return fail(at, "literal " + std::to_string(static_cast<uint8_t>(doc_[at])) + " is not null, true or false");
        }
      }
      case kInt16: return integer(at, available, 2, true, "int16");
      case kUint16: return integer(at, available, 2, false, "uint16");
      case kInt32: return integer(at, available, 4, true, "int32");
      case kUint32: return integer(at, available, 4, false, "uint32");
      case kInt64: return integer(at, available, 8, true, "int64");
      case kUint64: return integer(at, available, 8, false, "uint64");
      case kDouble: {
        if (!need(8, "double")) return false;
        const uint64_t bits = le(at, 8);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return append_double(out_, d) || fail(at, "a double that is not a finite number");
      }
      case kString: {
        uint64_t length = 0;
        size_t used = 0;
        if (!variable_length(at, end, length, used)) return false;
        append_json_quoted(out_, doc_.substr(at + used, length));
        return true;
      }
      case kOpaque: {
        if (!need(1, "opaque value")) return false;
        const auto field_type = static_cast<uint8_t>(doc_[at]);
        uint64_t length = 0;
        size_t used = 0;
        if (!variable_length(at + 1, end, length, used)) return false;
        return opaque(field_type, at + 1 + used, doc_.substr(at + 1 + used, length));
      }
      default: return fail(at, "value type " + std::to_string(type) + " is not one MySQL writes");
    }
  }

  // A little-endian integer of `bytes` bytes.
  bool integer(size_t at, size_t available, size_t bytes, bool is_signed, const char* name) {
    if (available < bytes) return fail(at, std::string(name) + " is truncated");
    const uint64_t raw = le(at, bytes);
    if (!is_signed) {
      out_ += std::to_string(raw);
    } else {
      const uint64_t sign = uint64_t{1} << (8 * bytes - 1);
      out_ += std::to_string(static_cast<int64_t>((raw ^ sign) - sign));
    }
    return true;
  }

  // A MySQL value stored whole in the document: DECIMAL and the temporal types print as MySQL
  // prints them, VAR_STRING as a string, anything else as base64 of its bytes.
  bool opaque(uint8_t field_type, size_t at, std::string_view data) {
    using namespace column_type;
    switch (field_type) {
      case kNewDecimal: return decimal(at, data);
      case kDate:
      case kTime:
      case kDatetime:
      case kTimestamp: return temporal(field_type, at, data);
      case kVarString: append_json_quoted(out_, data); return true;
      default:
        append_json_quoted(out_, "base64:type" + std::to_string(field_type) + ":" + base64_like_mysql(data));
        return true;
    }
  }

  // Precision, scale, then the DECIMAL column format of that precision and scale.
  bool decimal(size_t at, std::string_view data) {
    if (data.size() < 2) return fail(at, "opaque DECIMAL is shorter than its precision and scale");
    const auto precision = static_cast<uint8_t>(data[0]);
    const auto scale = static_cast<uint8_t>(data[1]);
    if (precision == 0 || precision > 65 || scale > precision) {
      return fail(at, "opaque DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) + ") is not a DECIMAL");
    }
    if (decimal_binary_size(precision, scale) != data.size() - 2) {
      return fail(at, "opaque DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) + ") takes " +
                          std::to_string(decimal_binary_size(precision, scale)) + " bytes, not " +
                          std::to_string(data.size() - 2));
    }
    ByteReader in(data.substr(2));
    return decode_decimal(in, precision, scale, out_) || fail(at, "opaque DECIMAL has digits out of range");
  }

  // MySQL's packed in-memory temporal (TIME_to_longlong_*_packed), 8 bytes little-endian: the
  // sign, then year*13+month (17+ bits), day (5), hour (5), minute (6), second (6) for a date
  // or datetime, or hour (10), minute, second for a TIME; microseconds in the low 24 bits.
  bool temporal(uint8_t field_type, size_t at, std::string_view data) {
    using namespace column_type;
    const char* name = field_type == kDate ? "DATE" : field_type == kTime ? "TIME" : field_type == kDatetime ? "DATETIME" : "TIMESTAMP";
    if (data.size() != 8) return fail(at, std::string("opaque ") + name + " is " + std::to_string(data.size()) + " bytes, not 8");
    uint64_t packed = 0;
    for (size_t i = 0; i < 8; ++i) packed |= static_cast<uint64_t>(static_cast<uint8_t>(data[i])) << (8 * i);
    const bool negative = (packed >> 63) != 0;
    const uint64_t magnitude = negative ? ~packed + 1 : packed;
    const uint64_t micros = magnitude & 0xffffff;
    const uint64_t whole = magnitude >> 24;
    char buf[48];
    int n = 0;
    if (field_type == kTime) {
      const uint64_t hour = (whole >> 12) % 1024, minute = (whole >> 6) & 63, second = whole & 63;
      if (hour > 838 || minute > 59 || second > 59 || micros > 999999) return fail(at, "opaque TIME is out of range");
      n = std::snprintf(buf, sizeof buf, "%s%02u:%02u:%02u", negative ? "-" : "", static_cast<unsigned>(hour),
                        static_cast<unsigned>(minute), static_cast<unsigned>(second));
    } else {
      const uint64_t ymd = whole >> 17, hms = whole & 0x1ffff;
      const uint64_t year = (ymd >> 5) / 13, month = (ymd >> 5) % 13, day = ymd & 31;
      const uint64_t hour = hms >> 12, minute = (hms >> 6) & 63, second = hms & 63;
      if (negative || year > 9999 || hour > 23 || minute > 59 || second > 59 || micros > 999999) {
        return fail(at, std::string("opaque ") + name + " is out of range");
      }
      n = std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", static_cast<unsigned>(year), static_cast<unsigned>(month),
                        static_cast<unsigned>(day));
      if (field_type != kDate) {
        n += std::snprintf(buf + n, sizeof buf - n, " %02u:%02u:%02u", static_cast<unsigned>(hour),
                           static_cast<unsigned>(minute), static_cast<unsigned>(second));
      }
    }
    if (field_type != kDate) std::snprintf(buf + n, sizeof buf - n, ".%06u", static_cast<unsigned>(micros));
    append_json_quoted(out_, buf);
    return true;
  }

  std::string_view doc_;
  std::string& out_;
  std::string& error_;
  size_t budget_;
};

}  // namespace

void append_json_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) <= 0x1f) {
          out += "\\u00";
          append_hex_byte(out, static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

bool json_binary_to_text(std::string_view doc, std::string& out, std::string& error) {
  return JsonText(doc, out, error).document();
}

}  // namespace ferry::mysql
