// The serving pool with fake work: every request is served once, no two
// clients hold a context at once, and queueing shows when clients outnumber
// contexts.
#include "benchmarks/resource_pool/context_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

namespace cb::pool {
namespace {

TEST(ContextPool, HandsOutEachContextOnce) {
  ContextPool pool(2);
  auto a = pool.acquire(), b = pool.acquire();
  EXPECT_NE(a.context, b.context);
  EXPECT_FALSE(a.waited);
  std::atomic<bool> got{false};
  std::thread third([&] {
    auto c = pool.acquire();  // blocks until a release
    EXPECT_TRUE(c.waited);
    EXPECT_EQ(c.context, a.context);
    got = true;
    pool.release(c.context);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(got.load());
  pool.release(a.context);
  third.join();
  EXPECT_TRUE(got.load());
  pool.release(b.context);
}

// Waiters are served in arrival order, and a releasing client cannot take
// the context back ahead of them.
TEST(ContextPool, FirstComeFirstServed) {
  ContextPool pool(1);
  auto held = pool.acquire();
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) {
    waiters.emplace_back([&, i] {
      auto lease = pool.acquire();
      {
        std::lock_guard lock(mutex);
        order.push_back(i);
      }
      pool.release(lease.context);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // queue up
  }
  pool.release(held.context);
  auto again = pool.acquire();  // after the three waiters, not before
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(order.size(), 3u);
  }
  pool.release(again.context);
  for (auto& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

TEST(Server, ServesEveryRequestWithoutSharingAContext) {
  const int contexts = 2, clients = 5;
  std::vector<std::atomic<int>> busy(contexts);
  std::atomic<int> served{0}, overlaps{0};
  std::mutex mutex;
  std::set<std::pair<int, std::int64_t>> seen;
  Server server(contexts, clients,
                [&](int context, int client, std::int64_t r) {
                  if (busy[std::size_t(context)]++ != 0) ++overlaps;
                  std::this_thread::sleep_for(std::chrono::microseconds(500));
                  --busy[std::size_t(context)];
                  ++served;
                  std::lock_guard lock(mutex);
                  seen.insert({client, r});
                });
  server.serve(4);
  server.serve(3);
  EXPECT_EQ(served.load(), clients * 7);
  EXPECT_EQ(seen.size(), std::size_t(clients * 7));  // request ids never repeat
  EXPECT_EQ(overlaps.load(), 0);
  ServeRecord r = server.drain();
  EXPECT_EQ(r.latency.size(), std::size_t(clients * 7));
  EXPECT_EQ(r.queue_delay.size(), r.latency.size());
  EXPECT_LE(r.overhead.size(), r.latency.size());
  // Five clients on two contexts: requests wait about a service time or more.
  double waited = 0;
  for (double q : r.queue_delay) waited = std::max(waited, q);
  EXPECT_GT(waited, 400e-6);
  for (std::size_t i = 0; i < r.latency.size(); ++i)
    EXPECT_GE(r.latency[i], r.queue_delay[i] + 400e-6);
  EXPECT_TRUE(server.drain().latency.empty());  // drained
}

TEST(Server, OneClientNeverWaits) {
  Server server(1, 1, [](int, int, std::int64_t) {});
  server.serve(50);
  ServeRecord r = server.drain();
  EXPECT_EQ(r.overhead.size(), 50u);  // every acquire found the context free
  for (double o : r.overhead) EXPECT_LT(o, 0.01);
}

}  // namespace
}  // namespace cb::pool
