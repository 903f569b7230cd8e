// Persistent threads that run a job on demand. Created at set-up, so that
// thread creation stays out of the timed region of the benchmarks that run
// models concurrently (cross_model, resource_pool).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cb::model {

class WorkerThreads {
 public:
  explicit WorkerThreads(int count);
  ~WorkerThreads();
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;

  int size() const { return static_cast<int>(threads_.size()); }
  // Runs job(i) on thread i, for every thread, and returns at once.
  void start(std::function<void(int)> job);
  // Blocks until every thread has finished the job of the last start().
  void wait();
  // Threads that have picked up the current job.
  int started() const { return started_.load(); }

 private:
  void loop(int index);

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::function<void(int)> job_;
  std::uint64_t generation_ = 0;
  int running_ = 0;
  bool quit_ = false;
  std::atomic<int> started_{0};
};

}  // namespace cb::model
