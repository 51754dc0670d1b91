// The names ksqlDB's built-in functions are declared with, where not upper case: its "does not accept
// parameters" message quotes a function by that name ('dateadd', 'least'), not as the call wrote it.
const DECLARED = [
  'encode regexp_replace regexp_split_to_array array_concat array_distinct array_except array_intersect',
  'array_max array_min array_remove array_sort array_union bigint_from_bytes double_from_bytes int_from_bytes',
  'convert_tz dateadd datesub datetostring format_date format_time format_timestamp from_days from_unixtime',
  'parse_date parse_time parse_timestamp stringtodate stringtotimestamp timeadd timesub timestampadd',
  'timestampsub timestamptostring unix_date unix_timestamp geo_distance extractjsonfield filter reduce',
  'transform slice map_keys map_union map_values Abs acos asin atan atan2 cbrt Ceil cos cosh cot degrees',
  'exp Floor greatest least ln log pi power radians random Round sign sin sinh sqrt tan tanh trunc Chr',
  'concat concat_ws elt field from_bytes initcap instr lcase LPad len md5 mask RPad regexp_extract',
  'regexp_extract_all replace split_to_map substring to_bytes trim ucase url_decode_param url_encode_param',
  'url_extract_fragment url_extract_host url_extract_parameter url_extract_path url_extract_port',
  'url_extract_protocol url_extract_query mask_keep_left mask_keep_right mask_left mask_right split',
]
  .join(' ')
  .split(' ');

const BY_NAME = new Map(DECLARED.map((name) => [name.toUpperCase(), name]));

/** A function's name as ksqlDB declares it, for its messages. */
export function declaredName(name: string): string {
  return BY_NAME.get(name) ?? name;
}
