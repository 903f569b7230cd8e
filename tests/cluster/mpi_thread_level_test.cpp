// Which thread support clusterbench asks MPI for (no MPI job needed).
#include <gtest/gtest.h>

#include "cluster/mpi_context.hpp"
#include "core/error.hpp"

namespace cb {
namespace {

TEST(MpiThreadLevel, SingleUnlessAsked) {
  EXPECT_EQ(requested_thread_level(nullptr), MPI_THREAD_SINGLE);
  EXPECT_EQ(requested_thread_level(""), MPI_THREAD_SINGLE);
  EXPECT_EQ(requested_thread_level("single"), MPI_THREAD_SINGLE);
  EXPECT_EQ(requested_thread_level("funneled"), MPI_THREAD_FUNNELED);
  EXPECT_EQ(requested_thread_level("serialized"), MPI_THREAD_SERIALIZED);
  EXPECT_EQ(requested_thread_level("multiple"), MPI_THREAD_MULTIPLE);
}

TEST(MpiThreadLevel, AnythingElseIsAnInputErrorNamingTheVariable) {
  try {
    requested_thread_level("FUNNELED");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Input);
    EXPECT_NE(std::string(e.what()).find("CLUSTERBENCH_MPI_THREADS='FUNNELED'"),
              std::string::npos)
        << e.what();
  }
}

TEST(MpiThreadLevel, NamesAsWrittenToTheResultFile) {
  for (const char* name : {"single", "funneled", "serialized", "multiple"})
    EXPECT_STREQ(thread_level_name(requested_thread_level(name)), name);
}

}  // namespace
}  // namespace cb
