#include <limits>

#include "config/suite.hpp"

namespace cb {

const char* to_string(Isolation isolation) {
  switch (isolation) {
    case Isolation::Node: return "node";
    case Isolation::Rank: return "rank";
  }
  return "?";
}

std::size_t case_count(const BenchmarkEntry& entry) {
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  std::size_t count = entry.backends.size();
  for (const auto& [name, values] : entry.params) {
    if (count == 0 || values.empty()) return 0;
    if (count > kMax / values.size()) return kMax;
    count *= values.size();
  }
  return count;
}

namespace {

// Merges what each preset-naming parameter's value brings (see
// BenchmarkEntry::presets).
void apply_presets(const BenchmarkEntry& entry, ParamSet& params) {
  ParamSet merged;
  for (const auto& [name, by_value] : entry.presets) {
    auto value = params.find(name);
    if (value == params.end()) continue;
    auto preset = by_value.find(to_string(value->second));
    if (preset == by_value.end()) continue;
    for (const auto& [key, v] : preset->second) merged[key] = v;
  }
  for (auto& [key, v] : merged) params[key] = std::move(v);
}

// Appends every combination of `entry`'s sweeps on `backend`, like nested
// loops over the parameters in name order (the last name varies fastest).
void expand_entry(const BenchmarkEntry& entry, const std::string& backend,
                  std::vector<CaseTemplate>& out) {
  std::vector<const std::vector<ParamValue>*> sweeps;
  std::vector<const std::string*> names;
  for (const auto& [name, values] : entry.params) {
    if (values.empty()) return;
    names.push_back(&name);
    sweeps.push_back(&values);
  }
  std::vector<std::size_t> index(sweeps.size(), 0);
  for (;;) {
    CaseTemplate one{entry.name, {}, backend, entry.measure};
    for (std::size_t i = 0; i < sweeps.size(); ++i)
      one.params.emplace(*names[i], (*sweeps[i])[index[i]]);
    apply_presets(entry, one.params);
    out.push_back(std::move(one));
    // Odometer step: advance the last digit, carry leftwards.
    std::size_t digit = sweeps.size();
    while (digit > 0) {
      --digit;
      if (++index[digit] < sweeps[digit]->size()) break;
      index[digit] = 0;
      if (digit == 0) return;
    }
    if (sweeps.empty()) return;
  }
}

}  // namespace

std::vector<CaseTemplate> expand(const Suite& suite) {
  std::vector<CaseTemplate> out;
  for (const auto& entry : suite.benchmarks)
    for (const auto& backend : entry.backends)
      expand_entry(entry, backend, out);
  return out;
}

}  // namespace cb
