/*
 * venice-load: a small Kafka load generator on librdkafka, for `npm run bench:load`.
 *
 * Compiled by bench/load.mjs at run time (gcc, -lrdkafka); never committed as a binary. One C client
 * costs far less CPU per record than kcat (no per-line file parsing, no per-message delivery report), so
 * the broker, not the client, is what a run measures. The same program runs against librdkafka's
 * in-process mock broker (`-b mock`) to give the yardstick every Venice figure is read against.
 *
 * Modes:
 *   throughput -b BROKERS -t TOPIC -n RECORDS -s SIZE -a ACKS [-o PHASES] [-k ROUND]
 *       PHASES, comma-separated, in this order: produce (RECORDS records of SIZE bytes to partition 0,
 *       waiting for every acknowledgement), consume (read them back from the beginning), rounds (read
 *       them again in rounds of ROUND records; see consume_rounds). Default: produce,consume.
 *   latency -b BROKERS -t TOPIC -r RATE -d SECONDS -w WARMUP_SECONDS -s SIZE -a ACKS
 *       A producer thread sends RATE records/s, each stamped with its send time; the main thread
 *       consumes them and records receive time minus send time (same clock). Records sent in the
 *       first WARMUP_SECONDS are not counted.
 *   -X key=value sets a producer property, -Y key=value a consumer property (after the defaults).
 *
 * Output: lines "event NAME" (flushed as they happen, so the caller can sample the broker's CPU at the
 * edges of each phase) and, last, one line of JSON with the results.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_PROPS 32
/* Distinct payloads cycled through; never rewritten, so the producer can pass them without copying. */
#define PAYLOAD_RING 4096

struct options {
  const char *mode;
  const char *brokers;
  const char *topic;
  const char *phases;
  long records;
  int size;
  const char *acks;
  double rate;
  double seconds;
  double warmup;
  long round;
  const char *producer_props[MAX_PROPS];
  int producer_prop_count;
  const char *consumer_props[MAX_PROPS];
  int consumer_prop_count;
};

static void die(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "venice-load: ");
  vfprintf(stderr, format, args);
  fprintf(stderr, "\n");
  va_end(args);
  exit(2);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* CPU seconds (user + system, every thread) this process has used so far. */
static double cpu_seconds(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + (double)usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

static void event(const char *name) {
  printf("event %s\n", name);
  fflush(stdout);
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
  char error[512];
  if (rd_kafka_conf_set(conf, key, value, error, sizeof error) != RD_KAFKA_CONF_OK)
    die("cannot set %s=%s: %s", key, value, error);
}

static void set_pairs(rd_kafka_conf_t *conf, const char *const *pairs, int count) {
  for (int i = 0; i < count; i++) {
    char key[256];
    const char *equals = strchr(pairs[i], '=');
    if (!equals || (size_t)(equals - pairs[i]) >= sizeof key) die("expected key=value, got '%s'", pairs[i]);
    memcpy(key, pairs[i], equals - pairs[i]);
    key[equals - pairs[i]] = '\0';
    set(conf, key, equals + 1);
  }
}

static int is_mock(const struct options *o) { return strcmp(o->brokers, "mock") == 0; }

static void json_string(const char *text);

/* ---- producing ---- */

struct delivery_counts {
  long failed;
  char first_error[256];
};

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
  (void)rk;
  (void)opaque;
  struct delivery_counts *counts = rd_kafka_opaque(rk);
  if (message->err) {
    if (counts->failed++ == 0)
      snprintf(counts->first_error, sizeof counts->first_error, "%s", rd_kafka_err2str(message->err));
  }
}

static rd_kafka_t *new_producer(const struct options *o, struct delivery_counts *counts, int for_latency) {
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (is_mock(o)) {
    set(conf, "test.mock.num.brokers", "1");
  } else {
    set(conf, "bootstrap.servers", o->brokers);
  }
  set(conf, "acks", o->acks);
  if (for_latency) {
    set(conf, "linger.ms", "0");
    set(conf, "socket.nagle.disable", "true");
  } else {
    /* The same throughput settings bench:broker gives kcat: ~1 MB batches, a queue that never fills. */
    set(conf, "linger.ms", "5");
    set(conf, "batch.num.messages", "10000");
    set(conf, "batch.size", "1000000");
    set(conf, "queue.buffering.max.messages", "1000000");
    /* Only failures come back one by one; success is checked once, from the partition's end offset. */
    set(conf, "delivery.report.only.error", "true");
  }
  set_pairs(conf, o->producer_props, o->producer_prop_count);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_opaque(conf, counts);
  char error[512];
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (!rk) die("cannot create producer: %s", error);
  if (is_mock(o)) {
    rd_kafka_mock_cluster_t *cluster = rd_kafka_handle_mock_cluster(rk);
    if (!cluster) die("no mock cluster in the producer");
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, o->topic, 1, 1);
    if (err) die("cannot create mock topic: %s", rd_kafka_err2str(err));
  }
  return rk;
}

/* Asks for metadata until partition 0 of the topic has a leader (auto-creating it), so no run times that. */
static void wait_for_leader(rd_kafka_t *rk, rd_kafka_topic_t *rkt) {
  double deadline = now_seconds() + 30;
  while (now_seconds() < deadline) {
    const struct rd_kafka_metadata *metadata;
    if (rd_kafka_metadata(rk, 0, rkt, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      int ready = metadata->topic_cnt == 1 && metadata->topics[0].err == 0 &&
                  metadata->topics[0].partition_cnt > 0 && metadata->topics[0].partitions[0].leader >= 0;
      rd_kafka_metadata_destroy(metadata);
      if (ready) return;
    }
    struct timespec pause = {0, 100 * 1000000};
    nanosleep(&pause, NULL);
  }
  die("partition 0 of %s has no leader after 30 s", rd_kafka_topic_name(rkt));
}

static char *payloads(int size) {
  char *ring = malloc((size_t)size * PAYLOAD_RING);
  if (!ring) die("out of memory");
  for (int i = 0; i < PAYLOAD_RING; i++) {
    char *payload = ring + (size_t)i * size;
    memset(payload, 'x', size);
    char digits[16];
    int length = snprintf(digits, sizeof digits, "%010d", i);
    memcpy(payload, digits, length < size ? length : size);
  }
  return ring;
}

/* Produces one record, waiting (and serving callbacks) while the local queue is full. */
static void produce_one(rd_kafka_t *rk, rd_kafka_topic_t *rkt, void *payload, int size, int flags) {
  while (rd_kafka_produce(rkt, 0, flags, payload, size, NULL, 0, NULL) == -1) {
    rd_kafka_resp_err_t err = rd_kafka_last_error();
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) die("produce failed: %s", rd_kafka_err2str(err));
    rd_kafka_poll(rk, 1);
  }
}

struct produce_result {
  double seconds;
  double cpu_seconds;
  long failed;
  int64_t end_offset;
  char first_error[256];
};

static void produce_throughput(const struct options *o, rd_kafka_t *rk, rd_kafka_topic_t *rkt,
                               struct delivery_counts *counts, struct produce_result *result) {
  char *ring = payloads(o->size);
  event("produce-start");
  double cpu_before = cpu_seconds();
  double started = now_seconds();
  for (long i = 0; i < o->records; i++) {
    produce_one(rk, rkt, ring + (size_t)(i % PAYLOAD_RING) * o->size, o->size, 0);
    if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
  }
  rd_kafka_resp_err_t err = rd_kafka_flush(rk, 300 * 1000);
  result->seconds = now_seconds() - started;
  result->cpu_seconds = cpu_seconds() - cpu_before;
  event("produce-end");
  if (err) die("flush did not finish: %s", rd_kafka_err2str(err));
  result->failed = counts->failed;
  snprintf(result->first_error, sizeof result->first_error, "%s", counts->first_error);
  int64_t low = 0, high = -1;
  err = rd_kafka_query_watermark_offsets(rk, o->topic, 0, &low, &high, 10000);
  result->end_offset = err ? -1 : high;
  free(ring);
}

/* ---- consuming ---- */

/* A consumer started and stopped once per round waits this long, untimed, before each round. */
#define ROUND_QUIET_MS 120

static rd_kafka_t *new_consumer(const struct options *o, rd_kafka_t *producer, int for_latency,
                                int for_rounds) {
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (is_mock(o)) {
    /* The mock cluster lives in the producer's instance; reach it over its loopback listener. */
    set(conf, "bootstrap.servers", rd_kafka_mock_cluster_bootstraps(rd_kafka_handle_mock_cluster(producer)));
  } else {
    set(conf, "bootstrap.servers", o->brokers);
  }
  set(conf, "enable.auto.commit", "false");
  set(conf, "enable.auto.offset.store", "false");
  if (for_latency) set(conf, "socket.nagle.disable", "true");
  if (for_rounds) {
    /*
     * At the end of a round the consumer has a fetch waiting at the log's end; the next round's first
     * fetch goes out only when it returns. Short waits, plus a quiet pause before each round, keep
     * that out of the timed part.
     */
    set(conf, "fetch.wait.max.ms", "50");
    set(conf, "fetch.error.backoff.ms", "50");
  }
  set_pairs(conf, o->consumer_props, o->consumer_prop_count);
  char error[512];
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (!rk) die("cannot create consumer: %s", error);
  return rk;
}

struct consume_state {
  long records;
  long long bytes;
  long errors;
  char first_error[256];
  /* latency mode only */
  int64_t *latencies_ns;
  long latency_capacity;
  long latency_count;
  int64_t count_from_ns;
};

static void on_record(rd_kafka_message_t *message, void *opaque) {
  struct consume_state *state = opaque;
  if (message->err) {
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
    if (state->errors++ == 0)
      snprintf(state->first_error, sizeof state->first_error, "%s", rd_kafka_message_errstr(message));
    return;
  }
  state->records++;
  state->bytes += (long long)message->len;
  if (state->latencies_ns && message->len >= sizeof(int64_t)) {
    int64_t sent;
    memcpy(&sent, message->payload, sizeof sent);
    if (sent >= state->count_from_ns && state->latency_count < state->latency_capacity)
      state->latencies_ns[state->latency_count++] = now_ns() - sent;
  }
}

/* Consumes until `want` records have come or nothing has come for `idle_seconds`. */
static void consume_until(rd_kafka_topic_t *rkt, struct consume_state *state, long want,
                          double idle_seconds) {
  double last_progress = now_seconds();
  long seen = state->records;
  while (state->records < want) {
    rd_kafka_consume_callback(rkt, 0, 100, on_record, state);
    if (state->records != seen) {
      seen = state->records;
      last_progress = now_seconds();
    } else if (now_seconds() - last_progress > idle_seconds) {
      break;
    }
  }
}

struct consume_result {
  double seconds;
  double cpu_seconds;
  long records;
  long long bytes;
  long errors;
  char first_error[256];
};

static void consume_throughput(const struct options *o, rd_kafka_t *producer, struct consume_result *result) {
  rd_kafka_t *rk = new_consumer(o, producer, 0, 0);
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, NULL);
  wait_for_leader(rk, rkt);
  struct consume_state state = {0};
  event("consume-start");
  double cpu_before = cpu_seconds();
  double started = now_seconds();
  if (rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_BEGINNING) == -1)
    die("consume_start: %s", rd_kafka_err2str(rd_kafka_last_error()));
  consume_until(rkt, &state, o->records, 15);
  result->seconds = now_seconds() - started;
  result->cpu_seconds = cpu_seconds() - cpu_before;
  event("consume-end");
  result->records = state.records;
  result->bytes = state.bytes;
  result->errors = state.errors;
  snprintf(result->first_error, sizeof result->first_error, "%s", state.first_error);
  rd_kafka_consume_stop(rkt, 0);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
}

/*
 * Consume time measured in rounds of `round` records, each read from a fresh start at its first offset.
 * librdkafka's mock broker keeps only the last few MB of a partition, so it cannot be read 2M records
 * from the beginning; against it each round is produced first (untimed). Against a real broker the
 * rounds read the records produced before. Either way only the consuming is timed, and both brokers
 * pay the same restart per round, so the two figures can be set side by side.
 */
static void consume_rounds(const struct options *o, rd_kafka_t *producer, rd_kafka_topic_t *producer_topic,
                           long round, struct consume_result *result) {
  rd_kafka_t *rk = new_consumer(o, producer, 0, 1);
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, NULL);
  wait_for_leader(rk, rkt);
  char *ring = payloads(o->size);
  struct consume_state state = {0};
  long rounds = o->records / round;
  event("rounds-start");
  for (long r = 0; r < rounds; r++) {
    int64_t first = r * round;
    if (is_mock(o)) {
      int64_t low = 0;
      if (rd_kafka_query_watermark_offsets(producer, o->topic, 0, &low, &first, 10000))
        die("cannot read the mock partition's end offset");
      for (long i = 0; i < round; i++)
        produce_one(producer, producer_topic, ring + (size_t)(i % PAYLOAD_RING) * o->size, o->size, 0);
      if (rd_kafka_flush(producer, 60 * 1000)) die("mock round did not flush");
    }
    struct timespec quiet = {0, ROUND_QUIET_MS * 1000000L};
    nanosleep(&quiet, NULL);
    double cpu_before = cpu_seconds();
    double started = now_seconds();
    if (rd_kafka_consume_start(rkt, 0, first) == -1)
      die("consume_start: %s", rd_kafka_err2str(rd_kafka_last_error()));
    consume_until(rkt, &state, (r + 1) * round, 15);
    result->seconds += now_seconds() - started;
    result->cpu_seconds += cpu_seconds() - cpu_before;
    rd_kafka_consume_stop(rkt, 0);
    if (state.records < (r + 1) * round) break;
  }
  event("rounds-end");
  result->records = state.records;
  result->bytes = state.bytes;
  result->errors = state.errors;
  snprintf(result->first_error, sizeof result->first_error, "%s", state.first_error);
  free(ring);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
}

static void print_consume(const char *name, const struct consume_result *consumed) {
  printf(",\"%s\":{\"seconds\":%.6f,\"cpuSeconds\":%.4f,\"records\":%ld,\"bytes\":%lld,\"errors\":%ld,"
         "\"firstError\":",
         name, consumed->seconds, consumed->cpu_seconds, consumed->records, consumed->bytes, consumed->errors);
  json_string(consumed->first_error);
  printf("}");
}

static void json_string(const char *text) {
  putchar('"');
  for (const char *c = text; *c; c++) {
    if (*c == '"' || *c == '\\') printf("\\%c", *c);
    else if ((unsigned char)*c < 0x20) printf("\\u%04x", *c);
    else putchar(*c);
  }
  putchar('"');
}

static int has_phase(const struct options *o, const char *phase) {
  size_t length = strlen(phase);
  for (const char *at = strstr(o->phases, phase); at; at = strstr(at + 1, phase))
    if ((at == o->phases || at[-1] == ',') && (at[length] == ',' || at[length] == '\0')) return 1;
  return 0;
}

static int run_throughput(const struct options *o) {
  int do_produce = has_phase(o, "produce");
  int do_consume = has_phase(o, "consume");
  int do_rounds = has_phase(o, "rounds");
  if (is_mock(o) && do_consume) die("the mock broker keeps only a few MB: use rounds, not consume");
  struct delivery_counts counts = {0};
  rd_kafka_t *producer = new_producer(o, &counts, 0);
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(producer, o->topic, NULL);
  wait_for_leader(producer, rkt);
  struct produce_result produced = {0};
  struct consume_result consumed = {0};
  struct consume_result rounds = {0};
  if (do_produce) produce_throughput(o, producer, rkt, &counts, &produced);
  if (do_consume) consume_throughput(o, producer, &consumed);
  if (do_rounds) consume_rounds(o, producer, rkt, o->round, &rounds);
  printf("{\"mode\":\"throughput\",\"records\":%ld,\"size\":%d,\"round\":%ld,\"acks\":", o->records,
         o->size, o->round);
  json_string(o->acks);
  if (do_produce) {
    printf(",\"produce\":{\"seconds\":%.6f,\"cpuSeconds\":%.4f,\"failed\":%ld,\"endOffset\":%" PRId64
           ",\"firstError\":",
           produced.seconds, produced.cpu_seconds, produced.failed, produced.end_offset);
    json_string(produced.first_error);
    printf("}");
  }
  if (do_consume) print_consume("consume", &consumed);
  if (do_rounds) print_consume("rounds", &rounds);
  printf("}\n");
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(producer);
  return 0;
}

/* ---- latency ---- */

struct paced_producer {
  const struct options *o;
  rd_kafka_t *rk;
  rd_kafka_topic_t *rkt;
  long sent;
  volatile int done;
};

static void *paced_produce(void *arg) {
  struct paced_producer *p = arg;
  const struct options *o = p->o;
  char *payload = calloc(1, o->size);
  if (!payload) die("out of memory");
  memset(payload, 'x', o->size);
  long total = (long)(o->rate * o->seconds);
  int64_t start = now_ns();
  double interval_ns = 1e9 / o->rate;
  for (long i = 0; i < total; i++) {
    int64_t due = start + (int64_t)(i * interval_ns);
    struct timespec at = {due / 1000000000LL, due % 1000000000LL};
    /* Absolute deadlines: a late wake-up is caught up, the rate stays the asked one. */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR) {
    }
    int64_t stamp = now_ns();
    memcpy(payload, &stamp, sizeof stamp);
    produce_one(p->rk, p->rkt, payload, o->size, RD_KAFKA_MSG_F_COPY);
    rd_kafka_poll(p->rk, 0);
    p->sent++;
  }
  rd_kafka_flush(p->rk, 30 * 1000);
  free(payload);
  p->done = 1;
  return NULL;
}

static int compare_int64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static double percentile_ms(const int64_t *sorted, long count, double fraction) {
  if (count == 0) return -1;
  long rank = (long)(fraction * count + 0.999999999) - 1;
  if (rank < 0) rank = 0;
  if (rank >= count) rank = count - 1;
  return sorted[rank] / 1e6;
}

static int run_latency(const struct options *o) {
  if (o->size < (int)sizeof(int64_t)) die("latency records need at least 8 bytes for the send time");
  struct delivery_counts counts = {0};
  rd_kafka_t *producer = new_producer(o, &counts, 1);
  rd_kafka_topic_t *producer_topic = rd_kafka_topic_new(producer, o->topic, NULL);
  wait_for_leader(producer, producer_topic);
  rd_kafka_t *consumer = new_consumer(o, producer, 1, 0);
  rd_kafka_topic_t *consumer_topic = rd_kafka_topic_new(consumer, o->topic, NULL);
  wait_for_leader(consumer, consumer_topic);
  long total = (long)(o->rate * o->seconds);
  struct consume_state state = {0};
  state.latency_capacity = total;
  state.latencies_ns = malloc(sizeof(int64_t) * (total > 0 ? total : 1));
  /* The topic is fresh, so reading from the beginning misses nothing and waits for nothing. */
  if (rd_kafka_consume_start(consumer_topic, 0, RD_KAFKA_OFFSET_BEGINNING) == -1)
    die("consume_start: %s", rd_kafka_err2str(rd_kafka_last_error()));
  rd_kafka_consume_callback(consumer_topic, 0, 500, on_record, &state);
  state.count_from_ns = now_ns() + (int64_t)(o->warmup * 1e9);
  struct paced_producer paced = {o, producer, producer_topic, 0, 0};
  pthread_t thread;
  event("latency-start");
  double cpu_before = cpu_seconds();
  pthread_create(&thread, NULL, paced_produce, &paced);
  while (!paced.done) rd_kafka_consume_callback(consumer_topic, 0, 100, on_record, &state);
  pthread_join(thread, NULL);
  consume_until(consumer_topic, &state, total, 5);
  double cpu_used = cpu_seconds() - cpu_before;
  event("latency-end");
  qsort(state.latencies_ns, state.latency_count, sizeof(int64_t), compare_int64);
  printf("{\"mode\":\"latency\",\"acks\":");
  json_string(o->acks);
  printf(",\"rate\":%.0f,\"seconds\":%.1f,\"warmupSeconds\":%.1f,\"sent\":%ld,\"received\":%ld,"
         "\"counted\":%ld,\"failed\":%ld,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f,"
         "\"cpuSeconds\":%.4f}\n",
         o->rate, o->seconds, o->warmup, paced.sent, state.records, state.latency_count, counts.failed,
         percentile_ms(state.latencies_ns, state.latency_count, 0.5),
         percentile_ms(state.latencies_ns, state.latency_count, 0.99),
         percentile_ms(state.latencies_ns, state.latency_count, 0.999),
         percentile_ms(state.latencies_ns, state.latency_count, 1.0), cpu_used);
  free(state.latencies_ns);
  rd_kafka_consume_stop(consumer_topic, 0);
  rd_kafka_topic_destroy(consumer_topic);
  rd_kafka_destroy(consumer);
  rd_kafka_topic_destroy(producer_topic);
  rd_kafka_destroy(producer);
  return 0;
}

static void usage(void) {
  fprintf(stderr,
          "usage: venice-load throughput|latency -b BROKERS|mock -t TOPIC [-n RECORDS] [-s SIZE] [-a ACKS]\n"
          "       [-o produce,consume,rounds] [-k ROUND] [-r RATE] [-d SECONDS] [-w WARMUP] [-X prop=v]... [-Y prop=v]...\n");
  exit(2);
}

int main(int argc, char **argv) {
  struct options o = {.phases = "produce,consume", .records = 1000000, .size = 100, .acks = "1",
                      .round = 40000, .rate = 10000, .seconds = 10, .warmup = 2};
  if (argc < 2) usage();
  o.mode = argv[1];
  for (int i = 2; i < argc; i++) {
    const char *flag = argv[i];
    if (i + 1 >= argc) usage();
    const char *value = argv[++i];
    if (!strcmp(flag, "-b")) o.brokers = value;
    else if (!strcmp(flag, "-t")) o.topic = value;
    else if (!strcmp(flag, "-n")) o.records = atol(value);
    else if (!strcmp(flag, "-s")) o.size = atoi(value);
    else if (!strcmp(flag, "-a")) o.acks = value;
    else if (!strcmp(flag, "-o")) o.phases = value;
    else if (!strcmp(flag, "-k")) o.round = atol(value);
    else if (!strcmp(flag, "-r")) o.rate = atof(value);
    else if (!strcmp(flag, "-d")) o.seconds = atof(value);
    else if (!strcmp(flag, "-w")) o.warmup = atof(value);
    else if (!strcmp(flag, "-X") && o.producer_prop_count < MAX_PROPS) o.producer_props[o.producer_prop_count++] = value;
    else if (!strcmp(flag, "-Y") && o.consumer_prop_count < MAX_PROPS) o.consumer_props[o.consumer_prop_count++] = value;
    else usage();
  }
  if (!o.brokers || !o.topic || o.size <= 0 || o.records <= 0 || o.rate <= 0) usage();
  if (!strcmp(o.mode, "throughput")) return run_throughput(&o);
  if (!strcmp(o.mode, "latency")) return run_latency(&o);
  usage();
  return 2;
}
