#include "benchmarks/model/worker_threads.hpp"

namespace cb::model {

WorkerThreads::WorkerThreads(int count) {
  for (int i = 0; i < count; ++i) threads_.emplace_back([this, i] { loop(i); });
}

WorkerThreads::~WorkerThreads() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerThreads::start(std::function<void(int)> job) {
  {
    std::lock_guard lock(mutex_);
    job_ = std::move(job);
    running_ = size();
    started_ = 0;
    ++generation_;
  }
  wake_.notify_all();
}

void WorkerThreads::wait() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return running_ == 0; });
}

void WorkerThreads::loop(int index) {
  std::uint64_t seen = 0;
  while (true) {
    std::function<void(int)> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
      job = job_;
    }
    ++started_;
    job(index);
    std::lock_guard lock(mutex_);
    if (--running_ == 0) done_.notify_all();
  }
}

}  // namespace cb::model
