// One saddle of the roller cradle (Hardware/rigs/roller.json): a plate on a load cell with two
// 608 bearings whose axles run along the roller, so the roller turns on them about a fixed line
// and the AS5600 at its end stays on the axis. `make hardware` passes the rig's values with -D.
roller_radius = 75;     // mm
segment = 100;          // mm of roller this saddle carries (along the roller)
bearing_spacing = 90;   // mm between the two bearing centres, across the roller
width = 120;            // mm across the roller
bearing_d = 22; bearing_w = 7; axle_d = 8.4; // 608 bearing, M8 axle with clearance
plate = 8; cheek = 6; bolt_clearance = 13;   // M12 cell bolt

length = segment - 4;   // 2 mm gap to each neighbour: no force shunts between saddles
s = bearing_spacing / 2;
// Height of a bearing's centre below the roller's centre when the roller rests on both.
drop = sqrt(pow(roller_radius + bearing_d / 2, 2) - s * s);
axle_z = plate + bearing_d / 2 + 3;          // bearing clears the plate by 3 mm

difference() {
    union() {
        translate([-width / 2, -length / 2, 0]) cube([width, length, plate]);
        for (x = [-s, s]) for (y = [-(bearing_w / 2 + 1 + cheek), bearing_w / 2 + 1])
            translate([x - bearing_d / 2, y, 0]) cube([bearing_d, cheek, axle_z + bearing_d / 2]);
    }
    for (x = [-s, s]) translate([x, -length, axle_z]) rotate([-90, 0, 0]) cylinder(d = axle_d, h = 2 * length, $fn = 32);
    translate([0, 0, -1]) cylinder(d = bolt_clearance, h = plate + 2, $fn = 48);
}
// The roller's axis sits `drop` above the axles: echo it for the AS5600 bracket's height.
echo(str("roller axis above the saddle's base: ", axle_z + drop, " mm"));
