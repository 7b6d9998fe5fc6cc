#!/usr/bin/env python3
"""Tests of the hardware consistency check (`make test` runs them): it passes on the repository as
it is, and fails, naming the file, on a temporary copy with one value changed in each of the
places it reads (rig file, config.h, Makefile, simulators, profiles).
"""
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import hardware_check  # noqa: E402


class HardwareCheckTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="rollsense-hw-")
        for rel in hardware_check.FILES:
            os.makedirs(os.path.dirname(os.path.join(self.tmp, rel)), exist_ok=True)
            shutil.copy(os.path.join(ROOT, rel), os.path.join(self.tmp, rel))
        for rel in hardware_check.FOLDERS:
            shutil.copytree(os.path.join(ROOT, rel), os.path.join(self.tmp, rel))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def edit(self, rel, old, new, count=1):
        path = os.path.join(self.tmp, rel)
        with open(path) as f:
            text = f.read()
        self.assertIn(old, text, f"{rel} no longer holds {old!r}: update the test")
        with open(path, "w") as f:
            f.write(text.replace(old, new, count))

    def edit_json(self, rel, change):
        path = os.path.join(self.tmp, rel)
        with open(path) as f:
            data = json.load(f)
        change(data)
        with open(path, "w") as f:
            json.dump(data, f)

    def assertFailsNaming(self, fragment):
        problems = hardware_check.check(self.tmp)
        self.assertTrue(any(fragment in p for p in problems), f"no problem naming {fragment!r}: {problems}")

    def test_theRepositoryAsItIsAgrees(self):
        self.assertEqual(hardware_check.check(ROOT), [])
        self.assertEqual(hardware_check.check(self.tmp), [])

    def test_aProfilesChannelPositionsDisagreeingWithTheRigFail(self):
        self.edit("Profiles/foam-roller-lower-back.json", "-150", "-160")
        self.assertFailsNaming("Profiles/foam-roller-lower-back.json: spine.channelPositionsMillimetres")

    def test_theSwiftBuiltInsOverRangeDisagreeingFails(self):
        source = "Sources/RollSenseSignal/BuiltInProfiles.swift"
        with open(os.path.join(self.tmp, source)) as f:
            value = re.search(r"overRangeChannelNewtons: ([\d_]+)", f.read()).group(1)
        self.edit(source, f"overRangeChannelNewtons: {value}", "overRangeChannelNewtons: 441")
        self.assertFailsNaming(f"{source}: range.overRangeChannelNewtons is 441.0")

    def test_aRigsCapacityChangeWithoutTheProfilesFails(self):
        self.edit_json("Hardware/rigs/roller.json", lambda r: r["loadCells"].update(capacityKilograms=50))
        self.assertFailsNaming("range.overRangeChannelNewtons")
        # 50 kg cells cannot measure the heaviest accepted person's weight either.
        self.assertFailsNaming("reads over range")

    def test_aRollerRadiusDisagreeingWithTheSimulatorFails(self):
        self.edit("Firmware/sim/make-scenarios.py", "ROLLER_RADIUS_MM = 75.0", "ROLLER_RADIUS_MM = 60.0")
        self.assertFailsNaming("Firmware/sim/make-scenarios.py: ROLLER_RADIUS_MM")

    def test_aBallDiameterDisagreeingFails(self):
        self.edit_json("Hardware/rigs/ball.json", lambda r: r["ball"].update(diameterMillimetres=63.5))
        self.assertFailsNaming("ball.diameterMillimetres")

    def test_aFirmwareBuildWithAnotherCellCountFails(self):
        self.edit("Firmware/Makefile", "uno-roller_DEFS := -DARDUINO_AVR_UNO -DRS_HX711_COUNT=4",
                  "uno-roller_DEFS := -DARDUINO_AVR_UNO -DRS_HX711_COUNT=2")
        self.assertFailsNaming("Firmware/Makefile: uno-roller_DEFS has RS_HX711_COUNT=2")

    def test_movedHX711PinsFail(self):
        self.edit("Firmware/config.h", "#define RS_HX711_FIRST_PIN 4", "#define RS_HX711_FIRST_PIN 2")
        self.assertFailsNaming("Firmware/config.h: load cell 0 is on D2/D3")

    def test_theSimulatorEmulatingAnotherPinFails(self):
        self.edit("Firmware/sim/rollsense-sim.c", "{'D', 'D', 6, 7}", "{'D', 'D', 6, 3}")
        self.assertFailsNaming("Firmware/sim/rollsense-sim.c: HX711 1")

    def test_theSimulatorsSegmentWidthDisagreeingFails(self):
        self.edit("Sources/RollSenseKit/SyntheticScenario.swift", "segmentHalfWidthMillimetres = 50.0",
                  "segmentHalfWidthMillimetres = 40.0")
        self.assertFailsNaming("SyntheticScenario.swift: segments of 80.0 mm")

    def test_aHalfBridgeWithoutCompletionFails(self):
        self.edit_json("Hardware/rigs/ball.json", lambda r: r["loadCells"].update(bridge="half"))
        self.assertFailsNaming("an HX711 needs a full bridge")

    def test_aSpineRuleTheRigCannotSeeFails(self):
        self.edit_json("Profiles/massage-ball-lower-back.json",
                       lambda p: p["spine"].update(channelPositionsMillimetres=[-100, 0, 100]))
        self.assertFailsNaming("a spine rule the rig cannot see")

    def test_anFSRProfilesOverRangeCountNotTheSensorsTopFails(self):
        self.edit("Profiles/massage-ball-fsr.json", '"overRangeCounts": 851', '"overRangeCounts": 7969177')
        self.assertFailsNaming("Profiles/massage-ball-fsr.json: range.overRangeCounts")


if __name__ == "__main__":
    unittest.main(verbosity=1)
