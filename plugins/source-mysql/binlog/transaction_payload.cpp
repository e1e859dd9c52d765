#include "binlog/transaction_payload.hpp"

#include "binlog/byte_reader.hpp"
#include "binlog/event_decoder.hpp"

#include <zstd.h>
#include <zstd_errors.h>

#include <cstring>

namespace ferry::mysql {
namespace {

// Header field types (MySQL's Transaction_payload_event fields, OTW_PAYLOAD_*).
constexpr uint64_t kEndMark = 0;
constexpr uint64_t kPayloadSizeField = 1;
constexpr uint64_t kCompressionTypeField = 2;
constexpr uint64_t kUncompressedSizeField = 3;

// A decompression buffer larger than this is given back after use, not kept for the next event.
constexpr size_t kKeptBuffer = size_t{64} << 20;

std::string bytes_text(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

}  // namespace

const char* payload_compression_name(uint64_t compression) {
  switch (compression) {
    case kPayloadCompressionZstd: return "ZSTD";
    case kPayloadCompressionNone: return "NONE";
    default: return nullptr;
  }
}

bool parse_transaction_payload(std::string_view body, TransactionPayload& out, DecodeError& error) {
  out = TransactionPayload{};
  ByteReader in(body);
  auto corrupt = [&](const std::string& what) {
    error = {"TRANSACTION_PAYLOAD " + what, true};
    return false;
  };
  while (true) {
    const size_t at = body.size() - in.remaining();
    if (in.remaining() == 0) return corrupt("header has no end mark");
    const uint64_t type = in.packed();
    if (!in.ok()) return corrupt("header field at byte " + std::to_string(at) + " does not read");
    if (type == kEndMark) break;
    const uint64_t length = in.packed();
    if (!in.ok() || length > in.remaining()) {
      return corrupt("header field " + std::to_string(type) + " at byte " + std::to_string(at) + " runs past the event");
    }
    ByteReader field(in.position(), static_cast<size_t>(length));
    in.skip(static_cast<size_t>(length));
    if (type != kPayloadSizeField && type != kCompressionTypeField && type != kUncompressedSizeField) {
      continue;  // a field of a newer server: skipped by its length, as MySQL skips it
    }
    const uint64_t value = field.packed();
    if (!field.ok() || field.remaining() != 0) {
      return corrupt("header field " + std::to_string(type) + " at byte " + std::to_string(at) +
                     ": its value does not fill its " + bytes_text(length));
    }
    if (type == kPayloadSizeField) out.payload_size = value;
    else if (type == kCompressionTypeField) out.compression = value;
    else out.uncompressed_size = value;
  }
  out.payload = in.rest();
  if (out.payload_size != out.payload.size()) {
    return corrupt("says its payload has " + bytes_text(out.payload_size) + " but " + bytes_text(out.payload.size()) +
                   " follow its header");
  }
  if (out.uncompressed_size == 0) out.uncompressed_size = out.payload_size;
  if (payload_compression_name(out.compression) == nullptr) {
    error = {"TRANSACTION_PAYLOAD compression type " + std::to_string(out.compression) +
                 " is unknown (MySQL defines 0 = ZSTD and 255 = NONE)",
             false};
    return false;
  }
  if (out.compression == kPayloadCompressionNone && out.uncompressed_size != out.payload_size) {
    return corrupt("is not compressed but says it unpacks to " + bytes_text(out.uncompressed_size) + " from " +
                   bytes_text(out.payload_size));
  }
  if (out.uncompressed_size > kMaxUnpackedTransaction) {
    error = {"TRANSACTION_PAYLOAD says its transaction unpacks to " + bytes_text(out.uncompressed_size) +
                 "; ferry unpacks at most " + bytes_text(kMaxUnpackedTransaction) + " (1 GiB) per transaction",
             false};
    return false;
  }
  return true;
}

struct PayloadUnpacker::Zstd {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  std::unique_ptr<char[]> buffer;  // uninitialized: only what decompresses is ever written
  size_t capacity = 0;
  size_t size = 0;
  Zstd() = default;
  Zstd(const Zstd&) = delete;
  Zstd& operator=(const Zstd&) = delete;
  ~Zstd() { ZSTD_freeDCtx(context); }
};

PayloadUnpacker::PayloadUnpacker() = default;
PayloadUnpacker::~PayloadUnpacker() = default;
PayloadUnpacker::PayloadUnpacker(PayloadUnpacker&&) noexcept = default;
PayloadUnpacker& PayloadUnpacker::operator=(PayloadUnpacker&&) noexcept = default;

bool PayloadUnpacker::decompress(const TransactionPayload& payload, DecodeError& error) {
  if (!zstd_) zstd_ = std::make_unique<Zstd>();
  Zstd& z = *zstd_;
  if (z.context == nullptr) {
    error = {"TRANSACTION_PAYLOAD: cannot create a zstd decompression context", false};
    return false;
  }
  const auto expected = static_cast<size_t>(payload.uncompressed_size);
  if (z.capacity < expected || (z.capacity > kKeptBuffer && expected <= kKeptBuffer)) {
    z.buffer.reset();  // before the next one is allocated: never both at once
    z.buffer.reset(new char[expected == 0 ? 1 : expected]);
    z.capacity = expected;
  }
  // One call for the whole payload: several frames, and frames without a content size (MySQL's
  // streaming compressor writes none), decompress alike; a frame that needs more room than the
  // header's size fails instead of writing past it.
  const size_t n = ZSTD_decompressDCtx(z.context, z.buffer.get(), expected, payload.payload.data(), payload.payload.size());
  if (ZSTD_isError(n)) {
    const bool too_small = ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall;
    error = {too_small ? "TRANSACTION_PAYLOAD decompresses to more than the " + bytes_text(expected) + " its header says"
                       : std::string("TRANSACTION_PAYLOAD does not decompress: zstd says ") + ZSTD_getErrorName(n),
             true};
    return false;
  }
  if (n != expected) {
    error = {"TRANSACTION_PAYLOAD decompresses to " + bytes_text(n) + " but its header says " + bytes_text(expected), true};
    return false;
  }
  z.size = n;
  return true;
}

bool PayloadUnpacker::unpack(const TransactionPayload& payload, std::vector<std::string>& events, DecodeError& error) {
  error = DecodeError{};
  if (payload.uncompressed_size > limit_) {
    error = {"TRANSACTION_PAYLOAD says its transaction unpacks to " + bytes_text(payload.uncompressed_size) +
                 "; the limit here is " + bytes_text(limit_),
             false};
    return false;
  }
  std::string_view data;
  if (payload.compression == kPayloadCompressionNone) {
    data = payload.payload;
  } else if (payload.compression == kPayloadCompressionZstd) {
    if (!decompress(payload, error)) return false;
    data = std::string_view(zstd_->buffer.get(), zstd_->size);
  } else {
    error = {"TRANSACTION_PAYLOAD compression type " + std::to_string(payload.compression) + " is unknown", false};
    return false;
  }
  size_t count = 0;
  size_t at = 0;
  while (at < data.size()) {
    const size_t left = data.size() - at;
    if (left < kEventHeaderSize) {
      error = {"TRANSACTION_PAYLOAD event " + std::to_string(count + 1) + " at byte " + std::to_string(at) +
                   " of the payload: " + bytes_text(left) + " left, less than an event header",
               true};
      return false;
    }
    uint32_t size = 0;
    std::memcpy(&size, data.data() + at + 9, 4);  // the header's event size, little-endian hosts
    if (size < kEventHeaderSize || size > left) {
      error = {"TRANSACTION_PAYLOAD event " + std::to_string(count + 1) + " at byte " + std::to_string(at) +
                   " of the payload says it has " + bytes_text(size) + ", where " + bytes_text(left) + " are left",
               true};
      return false;
    }
    if (count < events.size()) {
      events[count].assign(data.data() + at, size);
    } else {
      events.emplace_back(data.data() + at, size);
    }
    ++count;
    at += size;
  }
  events.resize(count);
  return true;
}

}  // namespace ferry::mysql
