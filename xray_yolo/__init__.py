"""Fine-tune Ultralytics YOLO detectors to find anomalies in X-ray images, notebook first."""

__version__ = "0.0.1"
