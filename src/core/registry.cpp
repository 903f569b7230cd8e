#include "core/registry.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/group.hpp"

namespace cb {

const char* to_string(Kind kind) {
  switch (kind) {
    case Kind::Hardware: return "hardware";
    case Kind::Model: return "model";
    case Kind::CrossModel: return "cross_model";
    case Kind::ResourcePool: return "resource_pool";
    case Kind::Distributed: return "distributed";
  }
  return "?";
}
const char* to_string(Scope scope) {
  return scope == Scope::Local ? "local" : "group";
}
const char* to_string(Better better) {
  return better == Better::Lower ? "lower" : "higher";
}

bool Group::any(bool value) {
  double v = value ? 1.0 : 0.0;
  max(std::span<double>(&v, 1));
  return v > 0.5;
}

Registry& Registry::instance() {
  static Registry registry;
  return registry;
}

bool Registry::add(BenchmarkInfo info, BenchmarkFactory factory) {
  CB_CHECK(find(info.name) == nullptr,
           "benchmark '" + info.name + "' is registered twice");
  CB_CHECK(info.name.rfind(std::string(to_string(info.kind)) + ".", 0) == 0,
           "benchmark '" + info.name + "' must be named <kind>.<name>");
  entries_.push_back({std::move(info), std::move(factory)});
  return true;
}

const RegisteredBenchmark* Registry::find(const std::string& name) const {
  for (const auto& entry : entries_)
    if (entry.info.name == name) return &entry;
  return nullptr;
}

std::vector<const RegisteredBenchmark*> Registry::all() const {
  std::vector<const RegisteredBenchmark*> out;
  for (const auto& entry : entries_) out.push_back(&entry);
  std::sort(out.begin(), out.end(),
            [](auto* a, auto* b) { return a->info.name < b->info.name; });
  return out;
}

std::string Registry::closest(const std::string& name) const {
  std::string best;
  std::size_t best_distance = static_cast<std::size_t>(-1);
  for (const auto* entry : all()) {
    std::size_t d = edit_distance(name, entry->info.name);
    if (d < best_distance) {
      best_distance = d;
      best = entry->info.name;
    }
  }
  return best;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace cb
