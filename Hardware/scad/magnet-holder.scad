// The AS5600's magnet holder (Hardware/rigs/roller.json): a disc glued to the centre of the
// roller's end, holding the diametric magnet on the roller's axis, flush with its face, so the
// sensor's bracket sets the air gap (datasheet range 0.5-3 mm; `gap` is the design value).
magnet_d = 6; magnet_h = 2.5; gap = 1.5;   // mm
disc_d = 30; disc_h = magnet_h + 2;
difference() {
    cylinder(d = disc_d, h = disc_h, $fn = 96);
    translate([0, 0, disc_h - magnet_h]) cylinder(d = magnet_d + 0.2, h = magnet_h + 1, $fn = 48);
    // A centring mark on the back: line it up with the roller's axis before gluing.
    translate([0, 0, -1]) cylinder(d = 1.5, h = 1.6, $fn = 12);
}
echo(str("sensor face ", gap, " mm from the holder's face"));
