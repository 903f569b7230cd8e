// Markdown sections for model results, appended to the run summary when the
// run has them: per-inference latency percentiles, the cross-hardware table
// (each model configuration's throughput per backend, and its ratio to the
// CPU), the interference matrices of co-located models and where a serving
// pool stops scaling.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"

namespace cb {

std::string model_sections(const std::vector<CaseResult>& cases);

// Split out for tests: each section alone, "" when there is nothing for it.
std::string model_latency_section(const std::vector<CaseResult>& cases);
std::string cross_hardware_section(const std::vector<CaseResult>& cases);
std::string interference_section(const std::vector<CaseResult>& cases);
std::string pool_section(const std::vector<CaseResult>& cases);

}  // namespace cb
