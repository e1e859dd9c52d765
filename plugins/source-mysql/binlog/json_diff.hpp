// MySQL's partial JSON updates (binlog_row_value_options=PARTIAL_JSON, PARTIAL_UPDATE_ROWS
// events): a JSON column of an UPDATE's after image may be logged as the changes made to it by
// JSON_SET / JSON_REPLACE / JSON_REMOVE instead of as its new value (MySQL's sql/json_diff.cc,
// Json_diff_vector::write_binary). The logged form:
//
//   u32 LE      the bytes of the diffs that follow (0: the value did not change)
//   per diff:   u8 operation: 0 REPLACE, 1 INSERT, 2 REMOVE
//               packed length, then the path as text ($.a, $."b c", $[2], $[last], $[last-1])
//               REPLACE and INSERT: packed length, then the new value as binary JSON
//
// The diffs apply in order, each as MySQL's apply_json_diffs() does: the path has at least one
// leg and no wildcards; REPLACE needs the path to exist; INSERT needs its parent to exist and
// adds an object member that is not there yet, or an array element at the index (past the end:
// at the end); REMOVE needs the member or element to exist. Nothing wraps a scalar into an array
// on the way. Any other case means the event does not fit the before value: an error, never a
// guess.
#pragma once

#include <string>
#include <string_view>

namespace ferry::mysql {

// Applies the diffs `diffs` (the bytes after the u32 length) to the document whose text is
// `before` (as json_binary_to_text prints it), and appends the text of the result to `after`,
// printed as json_binary_to_text prints a document (object members in MySQL's key order:
// shorter keys first, then by bytes; values that were not touched exactly as they were). On a
// corrupt diff or one that does not apply, returns false with `error` naming the diff, its
// operation and path.
bool apply_json_diffs(std::string_view before, std::string_view diffs, std::string& after, std::string& error);

}  // namespace ferry::mysql
