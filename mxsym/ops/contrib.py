"""Contrib operators used by Gluon models and detection examples: adaptive pooling, resizing,
ROIAlign, box IoU and NMS, MultiBox prior/target/detection."""
