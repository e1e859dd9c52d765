/*
 * ferry plugin ABI, version 1.
 *
 * The only thing that crosses a plugin's shared-library edge. Plain C: no STL type, exception,
 * RTTI or allocation crosses it. C++ authors use the header-only layer in <ferry/sdk/...> instead
 * of this file; it is written here to the standard of envoy's dynamic-modules ABI: each function
 * says who calls it, when, on which thread, and who owns each pointer for how long.
 *
 * Versioning
 *   FERRY_ABI_MAJOR changes when anything here changes incompatibly; the host refuses a library
 *   built for another major. FERRY_ABI_MINOR grows when something is appended: fields at the end
 *   of a struct, callbacks at the end of a table, new enum values. A host accepts a library whose
 *   minor is at most its own (the library only uses what existed when it was built) and refuses
 *   a newer one, naming both versions.
 *   Negotiated structs (manifest, plugin definition, host API, batch) begin with ferry_abi_header
 *   so either side can tell how much of the struct the other knows. Element structs that sit in
 *   arrays by the thousand (events, values, columns, config fields) carry no header of their own:
 *   their layout is versioned by the container that holds them, which saves 8 bytes per value.
 *
 * Memory
 *   Strings are (pointer, length) pairs, never NUL-terminated unless stated, and never owned by
 *   the receiver. Event data lives in the batch's arena (ferry_host_api.arena_alloc) or in memory
 *   the producing plugin keeps alive for as long as the ABI says (table schemas: until the source
 *   is destroyed). A plugin frees only what it allocated.
 */
#ifndef FERRY_ABI_FERRY_ABI_H
#define FERRY_ABI_FERRY_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FERRY_ABI_MAJOR 1
#define FERRY_ABI_MINOR 0

/* Name of the Boost.DLL alias every plugin library exports (see ferry_manifest_fn). */
#define FERRY_MANIFEST_SYMBOL "ferry_plugin_manifest_v1"

/* ------------------------------------------------------------------------------------------ */
/* Common pieces                                                                               */
/* ------------------------------------------------------------------------------------------ */

typedef struct ferry_abi_header {
  uint32_t struct_size; /* sizeof the struct as the writer compiled it */
  uint16_t abi_major;
  uint16_t abi_minor;
} ferry_abi_header;

typedef struct ferry_str {
  const char* data; /* may be NULL when len == 0 */
  uint32_t len;
} ferry_str;

/* Result of every plugin callback. A status other than OK comes with a message set through
 * ferry_host_api.set_error on the same context before returning. */
typedef enum ferry_status {
  FERRY_OK = 0,
  FERRY_ERROR = 1,     /* not retryable: the task pauses at its last checkpoint */
  FERRY_RETRYABLE = 2, /* transient: the host retries the same call with capped backoff */
  FERRY_END = 3        /* source only: nothing more will come (a finished dump) */
} ferry_status;

typedef enum ferry_plugin_kind {
  FERRY_KIND_SOURCE = 1,
  FERRY_KIND_TRANSFORM = 2,
  FERRY_KIND_SINK = 3
} ferry_plugin_kind;

typedef enum ferry_log_level {
  FERRY_LOG_TRACE = 0,
  FERRY_LOG_DEBUG = 1,
  FERRY_LOG_INFO = 2,
  FERRY_LOG_WARN = 3,
  FERRY_LOG_ERROR = 4
} ferry_log_level;

/* ------------------------------------------------------------------------------------------ */
/* Values and table schemas                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* How a value is carried. Values are exact: nothing is converted to a lossy form. */
typedef enum ferry_value_type {
  FERRY_VALUE_NULL = 0,
  FERRY_VALUE_INT = 1,       /* i64: every signed integer width */
  FERRY_VALUE_UINT = 2,      /* u64: every unsigned integer width */
  FERRY_VALUE_FLOAT = 3,     /* f64 holding a float's exact value (prints as a float) */
  FERRY_VALUE_DOUBLE = 4,    /* f64 */
  FERRY_VALUE_DECIMAL = 5,   /* text: "-12.340", with the column's scale */
  FERRY_VALUE_STRING = 6,    /* text bytes in the column's charset (ferry_column.charset) */
  FERRY_VALUE_BYTES = 7,     /* binary bytes, any content */
  FERRY_VALUE_DATE = 8,      /* text "YYYY-MM-DD" (zero dates kept as written) */
  FERRY_VALUE_TIME = 9,      /* text "[-]HHH:MM:SS[.ffffff]" with the column's fsp */
  FERRY_VALUE_DATETIME = 10, /* text "YYYY-MM-DD HH:MM:SS[.ffffff]" */
  FERRY_VALUE_TIMESTAMP = 11,/* text, UTC, same form as DATETIME */
  FERRY_VALUE_YEAR = 12,     /* i64 */
  FERRY_VALUE_BIT = 13,      /* u64 bits; len = width in bits (1..64) */
  FERRY_VALUE_ENUM = 14,     /* u64 = 1-based member index; text = member name when known */
  FERRY_VALUE_SET = 15,      /* u64 = member bitmap; text = "a,b" when members are known */
  FERRY_VALUE_JSON = 16,     /* text, JSON */
  FERRY_VALUE_GEOMETRY = 17  /* bytes, MySQL's internal geometry (SRID + WKB) */
} ferry_value_type;

/* One column value, 24 bytes. For text and byte types `data`/`len` hold the content; for
 * numeric types the union holds it. ENUM and SET use both. */
typedef struct ferry_value {
  uint8_t type; /* ferry_value_type */
  uint8_t reserved[3];
  uint32_t len;
  union {
    int64_t i64;
    uint64_t u64;
    double f64;
  } num;
  const char* data;
} ferry_value;

/* ferry_column.flags */
#define FERRY_COLUMN_UNSIGNED 0x01u
#define FERRY_COLUMN_NULLABLE 0x02u
#define FERRY_COLUMN_BINARY 0x04u      /* binary charset: content is bytes */
#define FERRY_COLUMN_PRIMARY_KEY 0x08u /* part of the primary key */
#define FERRY_COLUMN_GENERATED 0x10u

typedef struct ferry_column {
  ferry_str name;
  ferry_str column_type; /* full SQL type as the upstream reports it: "decimal(10,2) unsigned" */
  uint8_t mysql_type;    /* MYSQL_TYPE_* code from the binlog (enum_field_types) */
  uint8_t flags;         /* FERRY_COLUMN_* */
  uint16_t charset;      /* collation id; 63 = binary; 0 = unknown */
  uint32_t member_count; /* ENUM / SET members, in definition order */
  const ferry_str* members;
} ferry_column;

typedef struct ferry_index {
  ferry_str name;
  uint32_t column_count;
  const uint32_t* columns; /* 0-based positions in ferry_table_schema.columns */
} ferry_index;

/* A table's shape. Immutable once an event refers to it; a DDL makes a new schema with a higher
 * version. Owned by the source that made it and valid until that source is destroyed. */
typedef struct ferry_table_schema {
  ferry_str schema;
  ferry_str table;
  uint64_t version;
  uint32_t column_count;
  const ferry_column* columns;
  const ferry_index* primary_key; /* NULL when the table has none */
  uint32_t unique_key_count;
  const ferry_index* unique_keys;
} ferry_table_schema;

/* ------------------------------------------------------------------------------------------ */
/* Events                                                                                      */
/* ------------------------------------------------------------------------------------------ */

typedef enum ferry_event_kind {
  FERRY_EVENT_ROW = 1,        /* a row change */
  FERRY_EVENT_DDL = 2,        /* a schema change; a full barrier for the sink */
  FERRY_EVENT_TXN_BEGIN = 3,  /* control */
  FERRY_EVENT_TXN_COMMIT = 4, /* control */
  FERRY_EVENT_CHECKPOINT = 5, /* control; a barrier: everything before it must be durable */
  FERRY_EVENT_HEARTBEAT = 6   /* control; carries the upstream's position while idle */
} ferry_event_kind;

typedef enum ferry_row_op {
  FERRY_ROW_INSERT = 1,
  FERRY_ROW_UPDATE = 2,
  FERRY_ROW_DELETE = 3
} ferry_row_op;

typedef enum ferry_gtid_flavor {
  FERRY_GTID_NONE = 0,
  FERRY_GTID_MYSQL = 1,  /* uuid:1-5:7,uuid2:1-3 */
  FERRY_GTID_MARIADB = 2 /* domain-server-seq,... */
} ferry_gtid_flavor;

/* Where an event stands upstream. `token` is opaque to everyone but the source that wrote it
 * (a dump writes its chunk progress there); the host stores and hands it back unchanged. */
typedef struct ferry_position {
  ferry_str binlog_file;
  uint64_t binlog_pos; /* offset of the end of the event in binlog_file */
  ferry_str gtid_set;  /* the executed GTID set after this event */
  uint8_t gtid_flavor; /* ferry_gtid_flavor */
  uint8_t reserved[3];
  uint32_t reserved2;
  int64_t timestamp_us; /* upstream commit time, microseconds since the epoch; 0 = unknown */
  ferry_str token;
} ferry_position;

/* ferry_event.flags */
#define FERRY_EVENT_DROPPED 0x0001u /* set by a transform: drop this row or DDL event */
#define FERRY_EVENT_FINAL 0x0002u   /* on CHECKPOINT: the phase is complete at this position */
#define FERRY_EVENT_SAFE 0x0004u    /* on ROW: apply idempotently (a replay window) */

typedef struct ferry_row_event {
  uint8_t op; /* ferry_row_op */
  uint8_t reserved[7];
  const ferry_table_schema* table; /* source table; never NULL */
  ferry_str target_schema;         /* where the row goes; set by the source to the source */
  ferry_str target_table;          /* names, rewritten by routing */
  /* Images: arrays of table->column_count values. `before` is NULL for INSERT, `after` for
   * DELETE. A partial image (binlog_row_image MINIMAL or NOBLOB) has a "present" bitmap, bit i
   * (byte i/8, bit i%8) set when column i is in the image; NULL means every column is present.
   * An absent column's value is undefined and must not be read. */
  const ferry_value* before;
  const ferry_value* after;
  const uint8_t* before_present;
  const uint8_t* after_present;
} ferry_row_event;

typedef struct ferry_ddl_event {
  ferry_str statement;      /* as it will run downstream */
  ferry_str default_schema; /* the USE schema the statement ran under upstream */
  ferry_str schema;         /* the table the DDL touches, after routing; empty for none */
  ferry_str table;
  uint32_t ddl_kind; /* reserved for a later minor: statement classification; 0 = unknown */
  uint32_t reserved;
} ferry_ddl_event;

typedef struct ferry_txn_event {
  ferry_str gtid; /* the transaction's own GTID, empty when the upstream has none */
  uint64_t xid;
} ferry_txn_event;

typedef struct ferry_event {
  uint16_t kind;  /* ferry_event_kind */
  uint16_t flags; /* FERRY_EVENT_* */
  uint32_t reserved;
  ferry_position pos;
  union {
    ferry_row_event row;
    ferry_ddl_event ddl;
    ferry_txn_event txn;
  } u;
} ferry_event;

/* A batch of events in order, with the arena their data lives in. Owned by the host; a plugin
 * sees it only during the call it was passed to. A source appends at events[count] while
 * count < capacity and allocates event data with ferry_host_api.arena_alloc. */
typedef struct ferry_batch {
  ferry_abi_header header;
  ferry_event* events;
  uint32_t count;
  uint32_t capacity;
  void* host_private; /* the host's; do not touch */
} ferry_batch;

/* ------------------------------------------------------------------------------------------ */
/* Config schema: declared as data, validated by the host before any plugin code runs          */
/* ------------------------------------------------------------------------------------------ */

typedef enum ferry_config_type {
  FERRY_CONFIG_STRING = 1,
  FERRY_CONFIG_INT = 2,
  FERRY_CONFIG_DOUBLE = 3,
  FERRY_CONFIG_BOOL = 4,
  FERRY_CONFIG_DURATION = 5, /* "30s", "250ms", "2m", "1h"; read back in milliseconds */
  FERRY_CONFIG_SIZE = 6,     /* "64MiB", "512KiB", "1000"; read back in bytes */
  FERRY_CONFIG_ENUM = 7,     /* a string from enum_values */
  FERRY_CONFIG_LIST = 8,     /* children[0] describes each item (its name is ignored) */
  FERRY_CONFIG_OBJECT = 9,   /* children are the object's fields; other keys are errors */
  FERRY_CONFIG_MAP = 10      /* free keys; children[0] describes each value */
} ferry_config_type;

#define FERRY_CONFIG_REQUIRED 0x01u
#define FERRY_CONFIG_SECRET 0x02u  /* never logged or shown (any string may use ${ENV}) */
#define FERRY_CONFIG_HAS_MIN 0x04u /* INT, DOUBLE, DURATION, SIZE, and LIST length */
#define FERRY_CONFIG_HAS_MAX 0x08u

typedef struct ferry_config_field {
  const char* name; /* NUL-terminated, kebab-case */
  uint32_t type;    /* ferry_config_type */
  uint32_t flags;   /* FERRY_CONFIG_* */
  const char* default_value; /* YAML scalar text, or NULL; not allowed with REQUIRED */
  const char* description;
  const char* const* enum_values;
  uint32_t enum_count;
  uint32_t child_count;
  const struct ferry_config_field* children;
  double min; /* with FERRY_CONFIG_HAS_MIN, in the unit read back (ms, bytes, items) */
  double max;
} ferry_config_field;

/* A node of the validated config, defaults filled in. Owned by the host; valid until the plugin
 * instance it was given to is destroyed. Read it through ferry_host_api.config_*. */
typedef struct ferry_config_node ferry_config_node;

/* ------------------------------------------------------------------------------------------ */
/* Host API: what the host offers a plugin                                                     */
/* ------------------------------------------------------------------------------------------ */

/* One per plugin instance; identifies the instance to the host in every callback. */
typedef struct ferry_host_ctx ferry_host_ctx;

typedef enum ferry_metric_kind {
  FERRY_METRIC_COUNTER = 1, /* value is added */
  FERRY_METRIC_GAUGE = 2    /* value is set */
} ferry_metric_kind;

/* Given to ferry_plugin_def.create; valid for the whole life of the process. Every callback
 * may be called from any thread the plugin is called on. The table only grows by appending:
 * check header.struct_size before calling a callback added after minor 0. */
typedef struct ferry_host_api {
  ferry_abi_header header;

  /* Writes a log line attributed to the plugin instance. `msg` is the message text; the host
   * adds task, plugin and time. */
  void (*log)(ferry_host_ctx* ctx, uint32_t level, const char* msg, uint32_t len);

  /* Records the error that the callback about to return a non-OK status is failing with.
   * `code` is from <ferry/abi/ferry_errors.h>; the host copies the message. */
  void (*set_error)(ferry_host_ctx* ctx, uint32_t code, const char* msg, uint32_t len);

  /* Allocates `size` bytes aligned to `align` (a power of two, at most 64) in the batch's arena.
   * The memory lives until the batch has been written by the sink; never free it. Returns NULL
   * only when out of memory. */
  void* (*arena_alloc)(ferry_batch* batch, size_t size, size_t align);

  /* Transforms only: inserts a copy of `event` right after events[index] of the batch being
   * transformed (index == UINT32_MAX inserts at the front). Inserted events are not seen by the
   * same transform again; later transforms see them in place. Its data must live in the batch's
   * arena. Returns FERRY_OK or FERRY_ERROR when out of memory. */
  uint32_t (*batch_insert_after)(ferry_batch* batch, uint32_t index, const ferry_event* event);

  /* Config readers. `key` is NUL-terminated; NULL `key` reads the node itself. Each returns 1
   * and fills `out` when the value is there (after defaults), 0 otherwise. Strings point into
   * host memory valid as long as the node. DURATION reads as int milliseconds, SIZE as int
   * bytes. */
  const ferry_config_node* (*config_child)(const ferry_config_node* node, const char* key);
  int (*config_string)(const ferry_config_node* node, const char* key, ferry_str* out);
  int (*config_int)(const ferry_config_node* node, const char* key, int64_t* out);
  int (*config_double)(const ferry_config_node* node, const char* key, double* out);
  int (*config_bool)(const ferry_config_node* node, const char* key, int* out);
  /* LIST: number of items; MAP and OBJECT: number of keys. */
  uint32_t (*config_size)(const ferry_config_node* node);
  /* LIST item, or MAP / OBJECT value, by position. */
  const ferry_config_node* (*config_at)(const ferry_config_node* node, uint32_t index);
  /* MAP / OBJECT key by position. */
  int (*config_key_at)(const ferry_config_node* node, uint32_t index, ferry_str* out);

  /* Adds to (COUNTER) or sets (GAUGE) a metric named `name` (NUL-terminated, snake_case),
   * labelled with the task and plugin by the host. Three gauges are read by the host itself:
   * `progress_rows_total`, set by a source that knows how many rows its phase will emit (a
   * dump's estimate) and set back to 0 when it is done; the status line then shows rows written
   * out of it, the share and an ETA. With it, `progress_bytes_total` (an estimate of the bytes the
   * phase reads) and `progress_bytes_done` (bytes read so far) add bytes to that line. */
  void (*metric)(ferry_host_ctx* ctx, uint32_t kind, const char* name, double value);

  /* Task-level facts a plugin may need, NUL-terminated, valid for the process's life:
   * "task" (the task name), "data-dir" (the task's private directory, created by the host),
   * "task-dir" (the directory of the task file, against which relative paths resolve),
   * "remove-meta" ("true" when the task was started with `ferry run --remove-meta`: a sink that
   * keeps its own checkpoint drops it before load_checkpoint and starts over; else "false").
   * NULL for an unknown key. */
  const char* (*task_info)(ferry_host_ctx* ctx, const char* key);
} ferry_host_api;

/* ------------------------------------------------------------------------------------------ */
/* Plugin definitions                                                                          */
/* ------------------------------------------------------------------------------------------ */

typedef struct ferry_instance ferry_instance; /* a plugin's own object, opaque to the host */

/* ferry_source_api.poll flags */
#define FERRY_POLL_STOPPING 0x01u /* last call: emit a CHECKPOINT at the last complete
                                     transaction if there is anything to checkpoint */

/* Callbacks of a source. All are called on one thread (the task's source thread), never
 * concurrently. */
typedef struct ferry_source_api {
  /* Called once before the first poll. `start` is where to resume: the last persisted
   * checkpoint, the hand-over position of the previous phase, or NULL to start from the
   * configured or current position. The pointer is valid only during the call. */
  uint32_t (*open)(ferry_instance* self, const ferry_position* start);
  /* Appends up to batch->capacity - batch->count events, waiting at most `max_wait_ms` for the
   * first one. Returning FERRY_OK with no event appended is fine. FERRY_END when finished. */
  uint32_t (*poll)(ferry_instance* self, ferry_batch* batch, uint32_t max_wait_ms, uint32_t flags);
  /* Tells the source that everything up to `pos` (a position it emitted in a CHECKPOINT event)
   * is durable downstream; it may drop what it kept to replay it. Optional (NULL). */
  void (*ack)(ferry_instance* self, const ferry_position* pos);
} ferry_source_api;

/* Callbacks of a transform, called on the source thread. */
typedef struct ferry_transform_api {
  /* Rewrites ROW and DDL events of the batch in place, drops them with FERRY_EVENT_DROPPED,
   * or inserts new ones with ferry_host_api.batch_insert_after. Control events (TXN_*,
   * CHECKPOINT, HEARTBEAT) must be left alone: the host refuses a batch where one was dropped
   * or changed kind. New strings must be allocated in the batch's arena. */
  uint32_t (*process)(ferry_instance* self, ferry_batch* batch);
} ferry_transform_api;

/* Callbacks of a sink, all called on the task's sink thread. */
typedef struct ferry_sink_api {
  /* Called once before the first write. */
  uint32_t (*open)(ferry_instance* self);
  /* Applies the batch. A batch ends at the first barrier (DDL or CHECKPOINT) it contains. On a
   * CHECKPOINT the sink makes everything before it durable before returning FERRY_OK, and if it
   * keeps checkpoints (FERRY_SINK_OWNS_CHECKPOINT) persists the position too. On
   * FERRY_RETRYABLE the host calls write again with the same batch. */
  uint32_t (*write)(ferry_instance* self, const ferry_batch* batch);
  /* Only with FERRY_SINK_OWNS_CHECKPOINT: reads the last persisted checkpoint. Returns FERRY_OK
   * and fills `out` (and sets *found) from sink-owned memory valid until the next call into the
   * sink. */
  uint32_t (*load_checkpoint)(ferry_instance* self, ferry_position* out, int* found, int* final);
} ferry_sink_api;

/* ferry_plugin_def.flags */
#define FERRY_SINK_OWNS_CHECKPOINT 0x01u /* the sink persists positions itself (downstream) */

typedef struct ferry_plugin_def {
  ferry_abi_header header;
  const char* name;        /* NUL-terminated, kebab-case, unique among all loaded plugins */
  uint32_t kind;           /* ferry_plugin_kind */
  uint32_t flags;          /* FERRY_SINK_* */
  const char* description; /* one line */
  const char* version;     /* the plugin's own version, free text */
  uint32_t config_field_count;
  const ferry_config_field* config_fields;

  /* Creates an instance from validated config. Called on the task's control thread. On failure
   * returns NULL after set_error. `host` and `ctx` stay valid until destroy returns. */
  ferry_instance* (*create)(const ferry_host_api* host, ferry_host_ctx* ctx,
                            const ferry_config_node* config);
  /* Destroys the instance; called once, after its last callback returned, on any thread. */
  void (*destroy)(ferry_instance* self);

  /* Exactly the one matching `kind` is non-NULL. */
  const ferry_source_api* source;
  const ferry_transform_api* transform;
  const ferry_sink_api* sink;
} ferry_plugin_def;

/* A command a library adds to the ferry command line (`ferry NAME ARGS...`), for tools that
 * belong with its plugins, such as `ferry binlog decode`. */
typedef struct ferry_command_def {
  const char* name;        /* NUL-terminated, kebab-case; must not shadow a built-in command */
  const char* description; /* one line, for `ferry --help` */
  /* Runs the command on the main thread, before and instead of any task. argv[0] is the command
   * name, the rest its own arguments (valid during the call). The command writes its output to
   * stdout and stderr itself and returns the process's exit code (0 ok, 1 failure, 2 bad input).
   * `ctx` identifies the command to host callbacks (log, set_error). */
  int (*run)(const ferry_host_api* host, ferry_host_ctx* ctx, int argc, const char* const* argv);
} ferry_command_def;

/* What a library exports: every plugin it holds. Static data, valid while the library is
 * loaded (ferry never unloads a plugin library). */
typedef struct ferry_manifest {
  ferry_abi_header header;
  const char* library; /* a name for the library, for messages */
  uint32_t plugin_count;
  const ferry_plugin_def* const* plugins;
  uint32_t command_count; /* commands the library adds to the command line; may be 0 */
  const ferry_command_def* commands;
} ferry_manifest;

/* The exported entry point, reached through the Boost.DLL alias FERRY_MANIFEST_SYMBOL. The host
 * passes its own major/minor; the library returns its manifest (never NULL), built from static
 * data. It must not start threads or touch the host's state. */
typedef const ferry_manifest* (*ferry_manifest_fn)(uint16_t host_abi_major,
                                                    uint16_t host_abi_minor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FERRY_ABI_FERRY_ABI_H */
