#include "benchmarks/model/model_mix.hpp"

#include <cstdio>
#include <map>
#include <sstream>

#include "benchmarks/model/mlp_model.hpp"
#include "benchmarks/model/transformer_model.hpp"
#include "core/error.hpp"

namespace cb::model {
namespace {

ParamValue parse_value(const std::string& text) {
  bool digits = !text.empty() &&
                text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) return static_cast<std::int64_t>(std::stoll(text));
  return text;
}

// The shape with the case's workload, kv_heads defaulting to heads.
ParamSet with_workload(const NamedShape& shape, const ParamSet& workload) {
  ParamSet p = shape.shape;
  p.try_emplace("kv_heads", std::int64_t{0});
  for (const char* key : {"batch", "seq", "mode"}) p[key] = workload.at(key);
  return p;
}

}  // namespace

std::vector<NamedShape> parse_model_shapes(const std::string& text) {
  std::vector<NamedShape> out;
  std::map<std::string, int> seen;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ';')) {
    auto open = item.find('{');
    CB_CHECK(
        open != std::string::npos && item.back() == '}',
        "model_shapes: '" + item +
            "' is not name{key=value,...} (set "
            "models = \"preset,preset\" and let the suite loader fill it)");
    NamedShape shape;
    shape.name = item.substr(0, open);
    if (int n = ++seen[shape.name]; n > 1)
      shape.name.append(1, '-').append(std::to_string(n));  // a repeat
    // Values may hold commas (widths = "13,512,256"): a piece without '='
    // continues the value before it.
    std::stringstream fields(item.substr(open + 1, item.size() - open - 2));
    std::string field, key, value;
    auto flush = [&] {
      if (!key.empty()) shape.shape[key] = parse_value(value);
    };
    while (std::getline(fields, field, ',')) {
      auto eq = field.find('=');
      if (eq == std::string::npos) {
        CB_CHECK(!key.empty(),
                 "model_shapes: '" + field + "' is not key=value");
        value += "," + field;
        continue;
      }
      flush();
      key = field.substr(0, eq), value = field.substr(eq + 1);
    }
    flush();
    out.push_back(std::move(shape));
  }
  CB_CHECK(!out.empty(), "no models: set models = \"preset,preset\"");
  return out;
}

std::unique_ptr<InferenceModel> make_model(ModelOps& ops,
                                           const NamedShape& shape,
                                           const ParamSet& workload,
                                           std::uint64_t seed) {
  if (shape.shape.count("widths"))
    return std::make_unique<MlpModel>(
        ops, parse_widths(cb::to_string(shape.shape.at("widths"))),
        get_int(workload, "batch"), seed);
  ParamSet p = with_workload(shape, workload);
  TransformerShape s = transformer_shape(p);
  return std::make_unique<TransformerModel>(ops, s, model::workload(p, s),
                                            seed);
}

CheckResult check_model(const OpsFactory& make_ops, const NamedShape& shape,
                        const ParamSet& workload, std::uint64_t seed) {
  if (shape.shape.count("widths")) {
    auto widths = parse_widths(cb::to_string(shape.shape.at("widths")));
    auto ops = make_ops();
    MlpModel model(*ops, widths, 2, seed);
    model.run();
    CheckResult r;
    r.error = relative_error(model.output(), mlp_reference(widths, 2, seed));
    r.ok = r.error <= check_tolerance(ops->precision());
    char text[120];
    std::snprintf(text, sizeof text,
                  "%s: mlp error %.2g against a double reference",
                  shape.name.c_str(), r.error);
    r.detail = text;
    return r;
  }
  ParamSet p = with_workload(shape, workload);
  TransformerShape s = transformer_shape(p);
  CheckResult r = check_transformer(make_ops, s, model::workload(p, s), seed);
  r.detail = shape.name + ": " + r.detail;
  return r;
}

}  // namespace cb::model
