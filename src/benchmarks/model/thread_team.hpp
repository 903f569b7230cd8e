// A fixed team of threads for one model's kernels: the calling thread and
// size - 1 workers. Workers spin briefly for the next job, then sleep on a
// condition variable. OpenMP's teams spin instead, and on a node shared with
// other work (a CI runner, a co-located model) one descheduled member makes
// every barrier wait a time slice: a bert-tiny pass on 2 threads of a busy
// 2-core VM took 25-340 ms with libgomp's default or active waiting against
// 3 ms here (OMP_WAIT_POLICY=passive, which a library cannot set).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cb::model {

class ThreadTeam {
 public:
  explicit ThreadTeam(int size);
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  int size() const { return size_; }
  using Slice = std::function<void(std::size_t first, std::size_t last)>;
  // fn(first, last) on contiguous slices of [0, n), one per member (fewer
  // when n is smaller than the team); returns when every slice is done.
  void parallel_for(std::size_t n, const Slice& fn);

 private:
  void work(int member);
  void run_slice(int member);

  int size_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  bool quit_ = false;
  const Slice* job_ = nullptr;
  std::size_t n_ = 0;
  int slices_ = 0;
};

}  // namespace cb::model
