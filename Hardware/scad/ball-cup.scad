// A ball's cup or socket (Hardware/rigs/ball.json, fsr-ball.json). With a window (window_d > 0)
// it is the ball rig's socket: the ADNS-3080 looks at the ball through it from `lens_gap` mm
// below. With a pad (pad_d > 0) it is the FSR ball's cup: it floats on a puck pressing the FSR's
// 12.7 mm active area, so all the ball's force goes through the sensor.
ball_d = 67; clearance = 1; wall = 3; depth_fraction = 0.4;
window_d = 12; lens_gap = 20; pad_d = 0;   // mm

inner = ball_d + 2 * clearance;
outer = inner + 2 * wall;
depth = depth_fraction * ball_d;
union() {
    difference() {
        cylinder(d = outer, h = wall + depth, $fn = 128);
        translate([0, 0, wall + inner / 2]) sphere(d = inner, $fn = 128);
        if (window_d > 0) translate([0, 0, -1]) cylinder(d = window_d, h = wall + 2, $fn = 48);
    }
    // The sensor board's tube: the lens looks up the tube at the ball.
    if (window_d > 0) translate([0, 0, -lens_gap]) difference() {
        cylinder(d = window_d + 2 * wall, h = lens_gap, $fn = 48);
        translate([0, 0, -1]) cylinder(d = window_d, h = lens_gap + 2, $fn = 48);
    }
    if (pad_d > 0) translate([0, 0, -2]) cylinder(d = pad_d, h = 2, $fn = 48);
}
