#include "benchmarks/model/thread_team.hpp"

#include <omp.h>

namespace cb::model {
namespace {

// Polls before sleeping: a job follows the last one within microseconds in
// a forward pass, and a futex wake-up costs more than that.
constexpr int kSpins = 4000;

}  // namespace

ThreadTeam::ThreadTeam(int size) : size_(size > 0 ? size : 1) {
  for (int m = 1; m < size_; ++m) workers_.emplace_back([this, m] { work(m); });
}

ThreadTeam::~ThreadTeam() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadTeam::run_slice(int member) {
  if (member >= slices_) return;
  const std::size_t first = n_ * std::size_t(member) / std::size_t(slices_);
  const std::size_t last = n_ * std::size_t(member + 1) / std::size_t(slices_);
  (*job_)(first, last);
}

void ThreadTeam::parallel_for(std::size_t n, const Slice& fn) {
  if (size_ == 1 || n < 2) {
    if (n > 0) fn(0, n);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    job_ = &fn;
    n_ = n;
    slices_ = int(std::min<std::size_t>(n, std::size_t(size_)));
    pending_.store(size_ - 1);
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  run_slice(0);
  for (int i = 0; i < kSpins && pending_.load() != 0; ++i)
    std::this_thread::yield();
  if (pending_.load() != 0) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_.load() == 0; });
  }
}

void ThreadTeam::work(int member) {
  omp_set_num_threads(1);  // kernels' OpenMP regions stay on this thread
  std::uint64_t seen = 0;
  while (true) {
    for (int i = 0; i < kSpins && generation_.load() == seen; ++i)
      std::this_thread::yield();
    if (generation_.load() == seen) {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
    }
    seen = generation_.load();
    if (quit_) return;
    run_slice(member);
    if (pending_.fetch_sub(1) == 1) {
      std::lock_guard lock(mutex_);
      done_.notify_one();
    }
  }
}

}  // namespace cb::model
