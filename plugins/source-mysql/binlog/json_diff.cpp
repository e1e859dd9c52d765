#include "binlog/json_diff.hpp"

#include "binlog/byte_reader.hpp"
#include "binlog/json_binary.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ferry::mysql {
namespace {

// How deep a document may grow by diffs before it is refused: MySQL keeps documents within
// kMaxJsonDepth; twice that only guards the recursion here against a hostile event.
constexpr size_t kMaxDiffDepth = 2 * kMaxJsonDepth;

enum class Operation : uint8_t { Replace = 0, Insert = 1, Remove = 2 };

const char* operation_name(Operation op) {
  switch (op) {
    case Operation::Replace: return "REPLACE";
    case Operation::Insert: return "INSERT";
    default: return "REMOVE";
  }
}

// A document as text pieces: every scalar keeps the exact text it was printed with, so what the
// diffs do not touch prints exactly as it was read.
struct Node {
  enum class Kind : uint8_t { Scalar, Array, Object };
  Kind kind = Kind::Scalar;
  std::string text;               // Scalar: as printed (strings with their quotes)
  std::vector<std::string> keys;  // Object: member names as bytes, in MySQL's key order
  std::vector<Node> items;        // Array: elements; Object: the values of `keys`
};

// MySQL's key order (Json_key_comparator): shorter first, then by bytes.
bool key_less(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool hex4(std::string_view s, size_t at, uint32_t& v) {
  if (at + 4 > s.size()) return false;
  v = 0;
  for (size_t i = at; i < at + 4; ++i) {
    const char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
    else return false;
  }
  return true;
}

// Reads the JSON string that starts at s[i] (its opening quote) into `out` (its bytes);
// `i` is left after the closing quote.
bool read_string(std::string_view s, size_t& i, std::string& out) {
  out.clear();
  if (i >= s.size() || s[i] != '"') return false;
  for (++i; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      ++i;
      return true;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= s.size()) return false;
    switch (s[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        uint32_t cp = 0;
        if (!hex4(s, i + 1, cp)) return false;
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00) {  // a surrogate pair: \uD8xx\uDCxx
          uint32_t low = 0;
          if (i + 2 >= s.size() || s[i + 1] != '\\' || s[i + 2] != 'u' || !hex4(s, i + 3, low) || low < 0xdc00 ||
              low >= 0xe000) {
            return false;
          }
          i += 6;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        append_utf8(out, cp);
        break;
      }
      default: return false;
    }
  }
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Parses a document's text as json_binary_to_text prints it (any valid JSON text reads).
class TextReader {
 public:
  explicit TextReader(std::string_view s) : s_(s) {}

  bool document(Node& out) {
    if (!value(out, 0)) return false;
    skip_space();
    return i_ == s_.size();
  }

 private:
  void skip_space() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }

  bool value(Node& out, size_t depth) {
    skip_space();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{' || c == '[') return container(out, c == '{', depth + 1);
    out.kind = Node::Kind::Scalar;
    const size_t start = i_;
    if (c == '"') {
      std::string ignored;
      if (!read_string(s_, i_, ignored)) return false;
    } else {
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != ']' && s_[i_] != '}' && s_[i_] != ':' && !is_space(s_[i_])) {
        ++i_;
      }
      if (i_ == start) return false;
    }
    out.text.assign(s_.substr(start, i_ - start));
    return true;
  }

  bool container(Node& out, bool object, size_t depth) {
    if (depth > kMaxDiffDepth) return false;
    out.kind = object ? Node::Kind::Object : Node::Kind::Array;
    const char close = object ? '}' : ']';
    ++i_;
    skip_space();
    if (i_ < s_.size() && s_[i_] == close) {
      ++i_;
      return true;
    }
    while (true) {
      if (object) {
        skip_space();
        std::string key;
        if (!read_string(s_, i_, key)) return false;
        skip_space();
        if (i_ >= s_.size() || s_[i_] != ':') return false;
        ++i_;
        out.keys.push_back(std::move(key));
      }
      out.items.emplace_back();
      if (!value(out.items.back(), depth)) return false;
      skip_space();
      if (i_ >= s_.size()) return false;
      if (s_[i_] == close) {
        ++i_;
        return true;
      }
      if (s_[i_] != ',') return false;
      ++i_;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

void print(const Node& n, std::string& out) {
  switch (n.kind) {
    case Node::Kind::Scalar: out += n.text; return;
    case Node::Kind::Array:
      out += '[';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ", ";
        print(n.items[i], out);
      }
      out += ']';
      return;
    case Node::Kind::Object:
      out += '{';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ", ";
        append_json_quoted(out, n.keys[i]);
        out += ": ";
        print(n.items[i], out);
      }
      out += '}';
      return;
  }
}

// MySQL's JSON_DEPTH: 1 for a scalar or an empty container, else 1 + its deepest child.
size_t depth(const Node& n) {
  size_t deepest = 0;
  for (const Node& child : n.items) deepest = std::max(deepest, depth(child));
  return 1 + deepest;
}

// One leg of a path: a member name, or an array index counted from the start or from the end
// ([last-N] is N from the end).
struct Leg {
  bool member = false;
  std::string name;
  uint64_t index = 0;
  bool from_end = false;
};

// MySQL's Json_array_index: where an index falls in an array of `size` elements, and whether it
// names an element that exists.
size_t position(const Leg& leg, size_t size) {
  if (leg.from_end) return leg.index < size ? size - static_cast<size_t>(leg.index) - 1 : 0;
  return leg.index < size ? static_cast<size_t>(leg.index) : size;
}
bool within(const Leg& leg, size_t size) { return leg.index < size; }

bool read_index(std::string_view p, size_t& i, uint64_t& out) {
  const size_t start = i;
  out = 0;
  while (i < p.size() && p[i] >= '0' && p[i] <= '9') {
    if (out > (UINT64_MAX - 9) / 10) return false;
    out = out * 10 + static_cast<uint64_t>(p[i] - '0');
    ++i;
  }
  return i > start;
}

// Parses a path as MySQL's Json_path::to_string writes it (spaces between tokens allowed, as
// MySQL's parser allows them). Wildcards, ranges and ** cannot appear in a diff.
bool parse_path(std::string_view p, std::vector<Leg>& legs, std::string& error) {
  legs.clear();
  size_t i = 0;
  auto skip_space = [&] {
    while (i < p.size() && is_space(p[i])) ++i;
  };
  skip_space();
  if (i >= p.size() || p[i] != '$') {
    error = "does not start with $";
    return false;
  }
  ++i;
  while (true) {
    skip_space();
    if (i >= p.size()) return true;
    Leg leg;
    if (p[i] == '.') {
      ++i;
      skip_space();
      leg.member = true;
      if (i < p.size() && p[i] == '"') {
        if (!read_string(p, i, leg.name)) {
          error = "has a quoted member name that does not read";
          return false;
        }
      } else {
        const size_t start = i;
        while (i < p.size() && p[i] != '.' && p[i] != '[' && !is_space(p[i])) ++i;
        leg.name.assign(p.substr(start, i - start));
        if (leg.name.empty() || leg.name.find('*') != std::string::npos) {
          error = leg.name.empty() ? "has an empty member name" : "has a wildcard, which a diff cannot have";
          return false;
        }
      }
    } else if (p[i] == '[') {
      ++i;
      skip_space();
      if (p.substr(i, 4) == "last") {
        i += 4;
        leg.from_end = true;
        skip_space();
        if (i < p.size() && p[i] == '-') {
          ++i;
          skip_space();
          if (!read_index(p, i, leg.index)) {
            error = "has an array index that does not read";
            return false;
          }
        }
      } else if (!read_index(p, i, leg.index)) {
        error = "has an array index that does not read (wildcards and ranges cannot be in a diff)";
        return false;
      }
      skip_space();
      if (i >= p.size() || p[i] != ']') {
        error = "has an array leg that does not end with ] (ranges cannot be in a diff)";
        return false;
      }
      ++i;
    } else {
      error = "has a leg that is neither .member nor [index]";
      return false;
    }
    legs.push_back(std::move(leg));
  }
}

// The node at `legs[0, count)` from `root`, or nullptr: as MySQL's seek_exact_path, no
// auto-wrapping, an array index must name an element.
Node* seek(Node& root, const std::vector<Leg>& legs, size_t count) {
  Node* n = &root;
  for (size_t k = 0; k < count; ++k) {
    const Leg& leg = legs[k];
    if (n->kind == Node::Kind::Array) {
      if (leg.member || !within(leg, n->items.size())) return nullptr;
      n = &n->items[position(leg, n->items.size())];
    } else if (n->kind == Node::Kind::Object) {
      if (!leg.member) return nullptr;
      const auto it = std::find(n->keys.begin(), n->keys.end(), leg.name);
      if (it == n->keys.end()) return nullptr;
      n = &n->items[static_cast<size_t>(it - n->keys.begin())];
    } else {
      return nullptr;
    }
  }
  return n;
}

// Applies one diff to `doc`; on failure says why (the caller adds which diff).
bool apply(Node& doc, Operation op, const std::vector<Leg>& legs, Node value, std::string& why) {
  if (legs.empty()) {
    why = "names the whole document, which a diff cannot";
    return false;
  }
  if (op == Operation::Replace) {
    Node* target = seek(doc, legs, legs.size());
    if (target == nullptr) {
      why = "names a value the document does not have";
      return false;
    }
    *target = std::move(value);
    return true;
  }
  Node* parent = seek(doc, legs, legs.size() - 1);
  const Leg& last = legs.back();
  if (parent == nullptr || parent->kind == Node::Kind::Scalar) {
    why = "has a parent the document does not have, or that is not an object or array";
    return false;
  }
  if (parent->kind == Node::Kind::Object) {
    if (!last.member) {
      why = "ends with an array index where the document has an object";
      return false;
    }
    const auto found = std::find(parent->keys.begin(), parent->keys.end(), last.name);
    if (op == Operation::Insert) {
      if (found != parent->keys.end()) {
        why = "inserts a member the object already has";
        return false;
      }
      // Where MySQL's object (a map in key order) puts it.
      const auto at = std::lower_bound(parent->keys.begin(), parent->keys.end(), last.name, key_less);
      parent->items.insert(parent->items.begin() + (at - parent->keys.begin()), std::move(value));
      parent->keys.insert(at, last.name);
      return true;
    }
    if (found == parent->keys.end()) {
      why = "removes a member the object does not have";
      return false;
    }
    parent->items.erase(parent->items.begin() + (found - parent->keys.begin()));
    parent->keys.erase(found);
    return true;
  }
  if (last.member) {
    why = "ends with a member name where the document has an array";
    return false;
  }
  const size_t size = parent->items.size();
  if (op == Operation::Insert) {
    parent->items.insert(parent->items.begin() + static_cast<std::ptrdiff_t>(position(last, size)), std::move(value));
    return true;
  }
  if (!within(last, size)) {
    why = "removes an element the array does not have";
    return false;
  }
  parent->items.erase(parent->items.begin() + static_cast<std::ptrdiff_t>(position(last, size)));
  return true;
}

}  // namespace

bool apply_json_diffs(std::string_view before, std::string_view diffs, std::string& after, std::string& error) {
  Node doc;
  if (!TextReader(before).document(doc)) {
    error = "JSON diff: the before value does not read as JSON";
    return false;
  }
  size_t doc_depth = depth(doc);
  ByteReader in(diffs);
  std::vector<Leg> legs;
  std::string text, why;
  for (size_t number = 1; in.remaining() > 0; ++number) {
    const std::string which = "JSON diff " + std::to_string(number);
    const uint8_t code = in.u8();
    if (code > static_cast<uint8_t>(Operation::Remove)) {
      error = which + " has operation " + std::to_string(code) + " (MySQL defines 0 REPLACE, 1 INSERT, 2 REMOVE)";
      return false;
    }
    const auto op = static_cast<Operation>(code);
    const std::string_view path = in.bytes(static_cast<size_t>(in.packed()));
    if (!in.ok()) {
      error = which + " (" + operation_name(op) + ") runs past the value in its path";
      return false;
    }
    const std::string where = which + " (" + operation_name(op) + " " + std::string(path) + ")";
    if (!parse_path(path, legs, why)) {
      error = where + ": the path " + why;
      return false;
    }
    Node value;
    if (op != Operation::Remove) {
      const std::string_view binary = in.bytes(static_cast<size_t>(in.packed()));
      if (!in.ok()) {
        error = where + " runs past the value in its new value";
        return false;
      }
      text.clear();
      if (!json_binary_to_text(binary, text, why)) {
        error = where + ": its new value: " + why;
        return false;
      }
      if (!TextReader(text).document(value)) {
        error = where + ": its new value does not read back as JSON";
        return false;
      }
      doc_depth = std::max(doc_depth, legs.size() + depth(value));
      if (doc_depth > kMaxDiffDepth) {
        error = where + " nests the document deeper than " + std::to_string(kMaxDiffDepth) + " levels";
        return false;
      }
    }
    if (!apply(doc, op, legs, std::move(value), why)) {
      error = where + " does not apply to the before value: it " + why;
      return false;
    }
  }
  print(doc, after);
  return true;
}

}  // namespace ferry::mysql
