#include "binlog/temporal.hpp"

#include <cstdio>
#include <ctime>

namespace ferry::mysql {
namespace {

// Microseconds from the fractional bytes of a *2 format value, as a non-negative count.
int64_t read_fraction(ByteReader& in, uint8_t fsp) {
  switch (fraction_bytes(fsp)) {
    case 0: return 0;
    case 1: return static_cast<int64_t>(in.be(1)) * 10000;
    case 2: return static_cast<int64_t>(in.be(2)) * 100;
    default: return static_cast<int64_t>(in.be(3));
  }
}

void append_fraction(std::string& out, int64_t micros, uint8_t fsp) {
  if (fsp == 0) return;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(micros));
  out += '.';
  out.append(buf, fsp);
}

bool valid_fsp(ByteReader& in, uint8_t fsp) {
  if (fsp > 6) in.fail();
  return fsp <= 6;
}

void append_datetime(std::string& out, unsigned year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                     unsigned second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u %02u:%02u:%02u", year, month, day, hour, minute, second);
  out += buf;
}

bool append_epoch_utc(ByteReader& in, std::string& out, int64_t seconds, int64_t micros, uint8_t fsp) {
  if (seconds == 0 && micros == 0) {  // the zero timestamp
    out += "0000-00-00 00:00:00";
    append_fraction(out, 0, fsp);
    return true;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) {
    in.fail();
    return false;
  }
  append_datetime(out, static_cast<unsigned>(tm.tm_year + 1900), static_cast<unsigned>(tm.tm_mon + 1),
                  static_cast<unsigned>(tm.tm_mday), static_cast<unsigned>(tm.tm_hour), static_cast<unsigned>(tm.tm_min),
                  static_cast<unsigned>(tm.tm_sec));
  append_fraction(out, micros, fsp);
  return true;
}

}  // namespace

bool decode_date(ByteReader& in, std::string& out) {
  const uint32_t v = in.u24();
  if (!in.ok()) return false;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", v >> 9, (v >> 5) & 15u, v & 31u);
  out += buf;
  return true;
}

bool decode_datetime2(ByteReader& in, uint8_t fsp, std::string& out) {
  if (!valid_fsp(in, fsp)) return false;
  const int64_t intpart = static_cast<int64_t>(in.be(5)) - 0x8000000000LL;
  const int64_t micros = read_fraction(in, fsp);
  if (!in.ok()) return false;
  // DATETIME is never negative; a negative packed value means a corrupt event.
  if (intpart < 0 || micros > 999999) {
    in.fail();
    return false;
  }
  const uint64_t ymd = static_cast<uint64_t>(intpart) >> 17;
  const uint64_t ym = ymd >> 5;
  const uint64_t hms = static_cast<uint64_t>(intpart) % (1u << 17);
  append_datetime(out, static_cast<unsigned>(ym / 13), static_cast<unsigned>(ym % 13), static_cast<unsigned>(ymd % 32),
                  static_cast<unsigned>(hms >> 12), static_cast<unsigned>((hms >> 6) % 64), static_cast<unsigned>(hms % 64));
  append_fraction(out, micros, fsp);
  return true;
}

bool decode_timestamp2(ByteReader& in, uint8_t fsp, std::string& out) {
  if (!valid_fsp(in, fsp)) return false;
  const int64_t seconds = static_cast<int64_t>(in.be(4));
  const int64_t micros = read_fraction(in, fsp);
  if (!in.ok()) return false;
  if (micros > 999999) {
    in.fail();
    return false;
  }
  return append_epoch_utc(in, out, seconds, micros, fsp);
}

bool decode_time2(ByteReader& in, uint8_t fsp, std::string& out) {
  if (!valid_fsp(in, fsp)) return false;
  // The packed value is (hms << 24) + microseconds, offset so that it sorts as unsigned bytes.
  // With 1-4 fractional bytes the integer and fraction parts are stored separately; a negative
  // time keeps its fraction in reverse order (0x100 - frac), so decoding moves to the next
  // integer value and subtracts the fraction (MySQL's my_time_packed_from_binary).
  int64_t packed = 0;
  switch (fraction_bytes(fsp)) {
    case 0:
      packed = (static_cast<int64_t>(in.be(3)) - 0x800000LL) << 24;
      break;
    case 1: {
      int64_t intpart = static_cast<int64_t>(in.be(3)) - 0x800000LL;
      int64_t frac = static_cast<int64_t>(in.be(1));  // unsigned on disk
      if (intpart < 0 && frac != 0) {
        intpart++;
        frac -= 0x100;
      }
      packed = (intpart << 24) + frac * 10000;
      break;
    }
    case 2: {
      int64_t intpart = static_cast<int64_t>(in.be(3)) - 0x800000LL;
      int64_t frac = static_cast<int64_t>(in.be(2));
      if (intpart < 0 && frac != 0) {
        intpart++;
        frac -= 0x10000;
      }
      packed = (intpart << 24) + frac * 100;
      break;
    }
    default:
      packed = static_cast<int64_t>(in.be(6)) - 0x800000000000LL;
      break;
  }
  if (!in.ok()) return false;
  const bool negative = packed < 0;
  const uint64_t abs = static_cast<uint64_t>(negative ? -packed : packed);
  const uint64_t hms = abs >> 24;
  const uint64_t micros = abs % (1u << 24);
  if (micros > 999999) {
    in.fail();
    return false;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%02u:%02u:%02u", negative ? "-" : "", static_cast<unsigned>((hms >> 12) % (1u << 10)),
                static_cast<unsigned>((hms >> 6) % 64), static_cast<unsigned>(hms % 64));
  out += buf;
  append_fraction(out, static_cast<int64_t>(micros), fsp);
  return true;
}

bool decode_datetime_old(ByteReader& in, std::string& out) {
  uint64_t v = in.u64();
  if (!in.ok()) return false;
  const uint64_t date = v / 1000000;
  const uint64_t time = v % 1000000;
  append_datetime(out, static_cast<unsigned>(date / 10000), static_cast<unsigned>((date / 100) % 100),
                  static_cast<unsigned>(date % 100), static_cast<unsigned>(time / 10000), static_cast<unsigned>((time / 100) % 100),
                  static_cast<unsigned>(time % 100));
  return true;
}

bool decode_time_old(ByteReader& in, std::string& out) {
  uint32_t raw = in.u24();
  if (!in.ok()) return false;
  int32_t v = static_cast<int32_t>(raw << 8) >> 8;  // sign-extend 24 bits
  const bool negative = v < 0;
  const uint32_t a = static_cast<uint32_t>(negative ? -v : v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%02u:%02u:%02u", negative ? "-" : "", a / 10000, (a / 100) % 100, a % 100);
  out += buf;
  return true;
}

bool decode_timestamp_old(ByteReader& in, std::string& out) {
  const int64_t seconds = in.u32();
  if (!in.ok()) return false;
  return append_epoch_utc(in, out, seconds, 0, 0);
}

}  // namespace ferry::mysql
