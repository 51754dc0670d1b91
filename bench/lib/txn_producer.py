"""Produces --records records of --size bytes to --topic partition 0 with librdkafka (Debian's
python3-confluent-kafka), either plainly (idempotent producer, one flush at the end) or in transactions of
--per-transaction records each (begin, produce, commit). Prints {"seconds": ...} for the produce phase,
from the first record to the last acknowledgement or commit; connecting and init_transactions are not timed."""
import argparse
import json
import time

from confluent_kafka import Producer

TIMEOUT_S = 60


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--per-transaction", type=int, default=0, help="0: no transactions")
    parser.add_argument("--transactional-id", default="bench-tx")
    args = parser.parse_args()

    config = {
        "bootstrap.servers": args.bootstrap,
        "enable.idempotence": True,
        "linger.ms": 5,
        "batch.num.messages": 10000,
        "queue.buffering.max.messages": 1000000,
    }
    transactional = args.per_transaction > 0
    if transactional:
        config["transactional.id"] = args.transactional_id
    producer = Producer(config)
    if transactional:
        producer.init_transactions(TIMEOUT_S)
    # Connect and learn the partition's leader before the clock starts (librdkafka otherwise spends the
    # first second of the first run waiting for topic metadata).
    producer.list_topics(args.topic, TIMEOUT_S)

    payload = b"x" * args.size
    failures = []

    def delivered(error, _message):
        if error is not None:
            failures.append(str(error))

    start = time.perf_counter()
    sent = 0
    while sent < args.records:
        count = min(args.per_transaction if transactional else args.records, args.records - sent)
        if transactional:
            producer.begin_transaction()
        for _ in range(count):
            while True:
                try:
                    producer.produce(args.topic, payload, partition=0, on_delivery=delivered)
                    break
                except BufferError:
                    producer.poll(0.01)
        sent += count
        if transactional:
            producer.commit_transaction(TIMEOUT_S)
    producer.flush(TIMEOUT_S)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "records": sent, "failures": failures[:5]}))


if __name__ == "__main__":
    main()
