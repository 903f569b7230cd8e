#include "core/registry.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace cb {
namespace {

class Dummy final : public Benchmark {
 public:
  void setup(const CaseContext&) override {}
  std::vector<Operation> operations() override { return {}; }
  Verification verify() override { return {}; }
};

BenchmarkInfo info(const std::string& name, Kind kind) {
  BenchmarkInfo i;
  i.name = name;
  i.kind = kind;
  return i;
}

BenchmarkFactory factory() {
  return [] { return std::unique_ptr<Benchmark>(std::make_unique<Dummy>()); };
}

TEST(Registry, FindsSortsAndCreates) {
  Registry r;
  r.add(info("hardware.stream", Kind::Hardware), factory());
  r.add(info("distributed.allreduce", Kind::Distributed), factory());
  ASSERT_NE(r.find("hardware.stream"), nullptr);
  EXPECT_EQ(r.find("hardware.nope"), nullptr);
  auto all = r.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->info.name, "distributed.allreduce");
  EXPECT_NE(r.find("hardware.stream")->factory(), nullptr);
}

TEST(Registry, RejectsDuplicatesAndBadNames) {
  Registry r;
  r.add(info("hardware.stream", Kind::Hardware), factory());
  EXPECT_THROW(r.add(info("hardware.stream", Kind::Hardware), factory()),
               Error);
  // The name must start with the kind it declares.
  EXPECT_THROW(r.add(info("model.stream", Kind::Hardware), factory()), Error);
}

TEST(Registry, SuggestsClosestName) {
  Registry r;
  r.add(info("hardware.stream", Kind::Hardware), factory());
  r.add(info("distributed.allreduce", Kind::Distributed), factory());
  r.add(info("distributed.pingpong", Kind::Distributed), factory());
  EXPECT_EQ(r.closest("distributed.allreduse"), "distributed.allreduce");
  EXPECT_EQ(r.closest("hardware.steam"), "hardware.stream");
  EXPECT_EQ(r.closest("pingpong"), "distributed.pingpong");
}

TEST(Registry, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Registry, ProgramRegistryHoldsNothingUnlessLinked) {
  // core_test links no benchmark objects: self-registration only happens for
  // the objects that are linked in (the executable links cb_benchmarks).
  EXPECT_EQ(Registry::instance().find("hardware.stream"), nullptr);
}

}  // namespace
}  // namespace cb
