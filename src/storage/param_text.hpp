// How a parameter value is spelled in /params (value_num, value_str) and how
// it is recovered: the contract has no type column, so the spelling itself
// must keep int, float, bool and string apart.
#pragma once

#include <optional>
#include <string>

#include "core/param.hpp"

namespace cb::storage {

// The number for value_num: ints and floats as themselves, bools as 0/1,
// nothing for strings (stored as NaN).
std::optional<double> param_number(const ParamValue& value);

// The printable value for value_str. Floats always carry a '.', an exponent
// or "inf"/"nan" (2.0 is "2.0", not "2") and use the shortest spelling that
// reads back to the same double, so that they never read back as ints.
std::string param_text(const ParamValue& value);

// Inverse of the two above: NaN number -> string; "true"/"false" -> bool;
// an exact integer spelling -> int; else float.
ParamValue parse_param(double number, const std::string& text);

}  // namespace cb::storage
