import pytest
def test_a(): pass
def test_b(): assert 1 == 2, "nope"
@pytest.mark.parametrize("v", [1, "a b"])
def test_c(v): pass
def test_s(): pytest.skip("why")
@pytest.mark.xfail(reason="known")
def test_xf(): assert False
class TestK:
    def test_m(self): pass
@pytest.fixture
def broken(): raise RuntimeError("fixture")
def test_e(broken): pass
