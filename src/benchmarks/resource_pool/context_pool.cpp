#include "benchmarks/resource_pool/context_pool.hpp"

#include <chrono>

namespace cb::pool {
namespace {

double now_s() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ContextPool::ContextPool(int contexts) : size_(contexts) {
  for (int i = contexts - 1; i >= 0; --i) free_.push_back(i);
}

ContextPool::Lease ContextPool::acquire() {
  std::unique_lock lock(mutex_);
  Lease lease;
  if (!free_.empty()) {  // then nobody waits: release() hands over
    lease.context = free_.back();
    free_.pop_back();
    return lease;
  }
  lease.waited = true;
  Waiter me;
  waiters_.push_back(&me);
  me.handed.wait(lock, [&] { return me.context >= 0; });
  lease.context = me.context;
  return lease;
}

void ContextPool::release(int context) {
  std::lock_guard lock(mutex_);
  if (waiters_.empty()) {
    free_.push_back(context);
    return;
  }
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->context = context;
  next->handed.notify_one();  // under the lock: `next` lives until it wakes
}

Server::Server(int contexts, int clients, Work work)
    : pool_(contexts),
      clients_(clients),
      work_(std::move(work)),
      per_client_(static_cast<std::size_t>(clients)) {}

void Server::serve(std::int64_t requests) {
  const std::int64_t first = next_request_;
  next_request_ += requests;
  clients_.start([this, first, requests](int client) {
    ServeRecord& record = per_client_[static_cast<std::size_t>(client)];
    for (std::int64_t r = first; r < first + requests; ++r) {
      double sent = now_s();
      ContextPool::Lease lease = pool_.acquire();
      double acquired = now_s();
      work_(lease.context, client, r);
      double done = now_s();
      pool_.release(lease.context);
      double released = now_s();
      record.latency.push_back(released - sent);
      record.queue_delay.push_back(acquired - sent);
      if (!lease.waited)
        record.overhead.push_back((acquired - sent) + (released - done));
    }
  });
  clients_.wait();
}

ServeRecord Server::drain() {
  ServeRecord all;
  for (ServeRecord& one : per_client_) {
    auto move = [](std::vector<double>& to, std::vector<double>& from) {
      to.insert(to.end(), from.begin(), from.end());
      from.clear();
    };
    move(all.latency, one.latency);
    move(all.queue_delay, one.queue_delay);
    move(all.overhead, one.overhead);
  }
  return all;
}

}  // namespace cb::pool
