// FerroStack example mesh: a 2D cross-section of a gate stack, x-z plane with
// the vertical axis as y (the last coordinate), lengths in nm.
//   oxide  (SiO2, 10 nm)  z in [0, 10]
//   fe     (CIPS, 20 nm)  z in [10, 30]
// Physical groups name the regions (they must match the deck's layer names)
// and the contacts (the deck's Contacts/List refers to them by name).
// Regenerate the .msh with:  gmsh -2 -format msh2 two_layer_gate.geo
W = 100;
h = 5;
Point(1) = {0, 0, 0, h};
Point(2) = {W, 0, 0, h};
Point(3) = {W, 10, 0, h};
Point(4) = {0, 10, 0, h};
Point(5) = {W, 30, 0, h};
Point(6) = {0, 30, 0, h};
Point(7) = {30, 30, 0, h};
Point(8) = {70, 30, 0, h};
Line(1) = {1, 2};  // bottom: gate
Line(2) = {2, 3};
Line(3) = {3, 4};  // oxide/fe interface
Line(4) = {4, 1};
Line(5) = {3, 5};
Line(6) = {5, 8};
Line(7) = {8, 7};  // top middle: the top electrode
Line(8) = {7, 6};
Line(9) = {6, 4};
Curve Loop(1) = {1, 2, 3, 4};
Curve Loop(2) = {-3, 5, 6, 7, 8, 9};
Plane Surface(1) = {1};
Plane Surface(2) = {2};
Transfinite Curve{1, 3} = 21;
Transfinite Curve{2, 4} = 5;
Transfinite Curve{5, 9} = 9;
Transfinite Curve{6, 8} = 7;
Transfinite Curve{7} = 9;
Transfinite Surface{1};
Recombine Surface{1, 2};
Mesh.RecombineAll = 1;
Mesh.SubdivisionAlgorithm = 1; // all quadrilaterals, as deal.II needs
Physical Surface("ox") = {1};
Physical Surface("fe") = {2};
Physical Curve("gate_face") = {1};
Physical Curve("top_face") = {7};
