// A pool of K execution contexts shared by M concurrent clients, and the
// closed-loop serving that resource_pool.serve times: each client acquires a
// context, runs one request on it, releases it, and sends its next request.
// Model-agnostic (the work is a callable), so that it is tested with fakes.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "benchmarks/model/worker_threads.hpp"

namespace cb::pool {

// First come, first served: a released context goes straight to the oldest
// waiter. With a plain mutex and condition variable the releasing client
// takes it back before a waiter wakes, so one client hogs the context and
// the median queueing delay reads ~0 while the tail grows.
class ContextPool {
 public:
  explicit ContextPool(int contexts);
  struct Lease {
    int context = -1;
    bool waited = false;  // no context was free at the request
  };
  Lease acquire();  // blocks until a context is free
  void release(int context);
  int size() const { return size_; }

 private:
  struct Waiter {
    std::condition_variable handed;
    int context = -1;
  };
  int size_;
  std::mutex mutex_;
  std::vector<int> free_;
  std::deque<Waiter*> waiters_;  // oldest first
};

// Per-request timings of the requests served since the last drain.
struct ServeRecord {
  std::vector<double> latency;      // request sent -> context released, s
  std::vector<double> queue_delay;  // request sent -> context acquired, s
  // acquire + release of requests that found a context free: the pool's own
  // cost, without waiting.
  std::vector<double> overhead;
};

class Server {
 public:
  // work(context, client, request) serves one request on a held context.
  using Work =
      std::function<void(int context, int client, std::int64_t request)>;
  Server(int contexts, int clients, Work work);

  // Every client sends `requests` requests, one after another; returns when
  // all are served.
  void serve(std::int64_t requests);
  ServeRecord drain();
  int clients() const { return clients_.size(); }

 private:
  ContextPool pool_;
  model::WorkerThreads clients_;
  Work work_;
  std::vector<ServeRecord> per_client_;  // each client writes its own
  std::int64_t next_request_ = 0;        // request ids keep growing
};

}  // namespace cb::pool
