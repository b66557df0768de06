#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

/// GoogleTest under MPI: every rank runs every test (the solvers are
/// collective); only rank 0 prints.
int
main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  ::testing::InitGoogleTest(&argc, argv);
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
    {
      auto &listeners = ::testing::UnitTest::GetInstance()->listeners();
      delete listeners.Release(listeners.default_result_printer());
    }
  const int result = RUN_ALL_TESTS();
  // A test failed on any rank fails the run on all ranks.
  return dealii::Utilities::MPI::max(result, MPI_COMM_WORLD);
}
