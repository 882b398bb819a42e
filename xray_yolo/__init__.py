"""Fine-tune Ultralytics YOLO detectors to find anomalies in X-ray images, notebook first.

Modules:

- `xray_yolo.drr`: Digitally reconstructed radiographs of one real chest CT, with nodules and rib fractures inserted in 3D, exact boxes, and where each lesion lies: a YOLO data set like `make_synth`'s."""

__version__ = "0.0.1"
