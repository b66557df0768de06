#include <base/units.h>
#include <solvers/waveform.h>

#include <cmath>

#include <gtest/gtest.h>

using namespace FerroStack;

// Values below are computed by hand from the SPICE definitions in
// deck-spec.md; tolerances are round-off (1e-12 relative).

TEST(Waveform, DcAndBareNumber)
{
  EXPECT_DOUBLE_EQ(Waveform("DC 1.5").value(3.), 1.5);
  EXPECT_DOUBLE_EQ(Waveform("-2").value(0.), -2.);
  EXPECT_DOUBLE_EQ(Waveform("dc -0.25").value(1e-3), -0.25);
}

TEST(Waveform, Pulse)
{
  // v1=0 v2=10, delay 1 ms, rise 1 us, fall 2 us, width 5 ms, period 10 ms, 2 pulses
  const Waveform w("PULSE(0 10 1e-3 1e-6 2e-6 5e-3 1e-2 2)");
  EXPECT_DOUBLE_EQ(w.value(0.5e-3), 0.);
  EXPECT_NEAR(w.value(1e-3 + 0.5e-6), 5., 1e-9);             // half way up the rise
  EXPECT_DOUBLE_EQ(w.value(3e-3), 10.);                      // on the plateau
  EXPECT_NEAR(w.value(1e-3 + 1e-6 + 5e-3 + 1e-6), 5., 1e-9); // half way down the fall
  EXPECT_DOUBLE_EQ(w.value(8e-3), 0.);                       // between pulses
  EXPECT_DOUBLE_EQ(w.value(13e-3), 10.);                     // second pulse
  EXPECT_DOUBLE_EQ(w.value(23e-3), 0.);                      // a third pulse is not there
  EXPECT_DOUBLE_EQ(Waveform("PULSE(0 10 1e-3 1e-6 2e-6 5e-3 1e-2)").value(23e-3), 10.); // endless
}

// Incremental step pulses: PULSE(v1 v2 delay rise fall width period count
// step), pulse k (from 0) peaks at v2 + k step.
TEST(Waveform, PulseWithStep)
{
  const Waveform w("PULSE(-0.5 1 1e-3 1e-6 1e-6 2e-3 4e-3 3 0.25)");
  EXPECT_DOUBLE_EQ(w.value(0.5e-3), -0.5);
  EXPECT_DOUBLE_EQ(w.value(2e-3), 1.);                     // pulse 0
  EXPECT_DOUBLE_EQ(w.value(4e-3), -0.5);                   // between pulses: v1
  EXPECT_DOUBLE_EQ(w.value(6e-3), 1.25);                   // pulse 1
  EXPECT_NEAR(w.value(9e-3 + 0.5e-6), 0.5 * (-0.5 + 1.5), 1e-9); // half way up pulse 2
  EXPECT_DOUBLE_EQ(w.value(10e-3), 1.5);                   // pulse 2
  EXPECT_DOUBLE_EQ(w.value(14e-3), -0.5);                  // no pulse 3
}

TEST(Waveform, PiecewiseLinear)
{
  const Waveform w("PWL(0 0, 1e-3 5, 3e-3 -5, 4e-3 0)");
  EXPECT_DOUBLE_EQ(w.value(0.5e-3), 2.5);
  EXPECT_DOUBLE_EQ(w.value(2e-3), 0.);
  EXPECT_DOUBLE_EQ(w.value(2.5e-3), -2.5);
  EXPECT_DOUBLE_EQ(w.value(10e-3), 0.);                     // holds the last value
  EXPECT_DOUBLE_EQ(Waveform("PWL(1 3, 2 4)").value(0), 3.); // before the first point
}

TEST(Waveform, SineAndTriangle)
{
  const Waveform s("SIN(1 2 50 0.01)");
  EXPECT_DOUBLE_EQ(s.value(0.005), 1.);
  EXPECT_NEAR(s.value(0.01 + 0.005), 1. + 2. * std::sin(2 * M_PI * 50 * 0.005), 1e-12);

  const Waveform t("TRIANGLE(3 4e-3 1)");
  EXPECT_DOUBLE_EQ(t.value(0.), 0.);
  EXPECT_NEAR(t.value(0.5e-3), 1.5, 1e-12);
  EXPECT_NEAR(t.value(1e-3), 3., 1e-12);
  EXPECT_NEAR(t.value(2e-3), 0., 1e-12);
  EXPECT_NEAR(t.value(3e-3), -3., 1e-12);
  EXPECT_NEAR(t.value(3.5e-3), -1.5, 1e-12);
  EXPECT_DOUBLE_EQ(t.value(5e-3), 0.); // after the last cycle
}

TEST(Waveform, Sum)
{
  const Waveform w("DC 1 + TRIANGLE(2 1 ) + PWL(0 0, 1 1e+0)");
  EXPECT_NEAR(w.value(0.25), 1. + 2. + 0.25, 1e-12);
  EXPECT_NEAR(Waveform("DC -1e-1+DC 2").value(0), 1.9, 1e-12);
}

TEST(Waveform, Breakpoints)
{
  const auto                b        = Waveform("PULSE(0 1 1 0.1 0.1 0.3 1 2)").breakpoints(10);
  const std::vector<double> expected = {1, 1.1, 1.4, 1.5, 2, 2.1, 2.4, 2.5};
  ASSERT_EQ(b.size(), expected.size());
  for (std::size_t i = 0; i < b.size(); ++i)
    EXPECT_NEAR(b[i], expected[i], 1e-12);
}

TEST(Waveform, MalformedIsRejected)
{
  for (const char *text : {"",
                           "PULSE(0 1 2)",
                           "PWL(0 1, 2)",
                           "PWL(1 0, 0 1)",
                           "SIN(1)",
                           "TRIANGLE(1 0)",
                           "SQUARE(1 2)",
                           "DC",
                           "DC abc",
                           "PULSE(0 1 0 1 1 1 1)",
                           "PWL(0 0, 1 1",
                           "1 +",
                           "PULSE(0 1 0 0 0 1 2 1.5)",
                           "PULSE(0 1 0 0 0 1 2 3 0.1 7)"})
    EXPECT_THROW(Waveform{text}, WaveformError) << text;
}

TEST(Units, QuantitiesConvertToDeckUnits)
{
  double v;
  EXPECT_TRUE(parse_quantity("200", Quantity::length, v));
  EXPECT_DOUBLE_EQ(v, 200.);
  EXPECT_TRUE(parse_quantity("0.2 um", Quantity::length, v));
  EXPECT_DOUBLE_EQ(v, 200.);
  EXPECT_TRUE(parse_quantity("5 ms", Quantity::time, v));
  EXPECT_DOUBLE_EQ(v, 5e-3);
  EXPECT_FALSE(parse_quantity("5 V", Quantity::length, v)); // wrong dimension
  EXPECT_FALSE(parse_quantity("5 parsec", Quantity::length, v));
  EXPECT_FALSE(parse_quantity("five", Quantity::length, v));
}

TEST(Units, ScalingIsConsistent)
{
  const Scaling s(300);
  EXPECT_NEAR(s.potential, 0.025852, 1e-6); // kT/q at 300 K
  EXPECT_NEAR(s.charge_density * s.length, s.polarization, 1e-20);
}
