// Verifies one table: its layout on both sides, its chunks' checksums, and with --rows the rows
// of the differing chunks. Each side reads the table in one consistent snapshot.
#pragma once

#include "verify/connection.hpp"
#include "verify/report.hpp"
#include "verify/table_list.hpp"
#include "verify/verify_options.hpp"

namespace ferry::verify {

// Never throws for a server error: the result is then Failed with the message.
TableResult verify_table(SqlConnection& upstream, SqlConnection& downstream, const VerifyOptions& options,
                         const TableName& table);

}  // namespace ferry::verify
