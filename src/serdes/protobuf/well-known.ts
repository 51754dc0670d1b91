// The .proto files that Connect's and ksqlDB's generated Protobuf schemas import (Confluent's Decimal, Google's
// Date and TimeOfDay): registered under their file names and referenced, by the SQL formats and the connect
// converters alike.

/** Schemas the generated .proto imports; registered under their file name and referenced. */
export const PROTOBUF_DEPENDENCIES: Readonly<Record<string, string>> = {
  'confluent/type/decimal.proto':
    'syntax = "proto3";\n\npackage confluent.type;\n\nmessage Decimal {\n  bytes value = 1;\n  uint32 precision = 2;\n  int32 scale = 3;\n}\n',
  'google/type/date.proto':
    'syntax = "proto3";\n\npackage google.type;\n\nmessage Date {\n  int32 year = 1;\n  int32 month = 2;\n  int32 day = 3;\n}\n',
  'google/type/timeofday.proto':
    'syntax = "proto3";\n\npackage google.type;\n\nmessage TimeOfDay {\n  int32 hours = 1;\n  int32 minutes = 2;\n  int32 seconds = 3;\n  int32 nanos = 4;\n}\n',
};
