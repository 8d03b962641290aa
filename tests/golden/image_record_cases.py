"""The ImageRecordIter settings of the RecordIO golden data (deterministic: no random
augmentation), read by make_recordio_golden.py and tests/test_io_image_record.py. An index
file is named relative to the folder of the files (tests/golden/recordio)."""

IMAGE_RECORD_CASES = {
    # exact: uint8 pixels after decode, resize, crop, mirror
    'resize_crop': dict(data_shape=(3, 16, 16), resize=20, dtype='uint8'),
    'mirror_gray_area': dict(data_shape=(1, 16, 16), resize=18, mirror=True, inter_method=3,
                             dtype='uint8'),
    'upscale_small': dict(data_shape=(3, 40, 40), dtype='uint8'),
    'crop_size_pad': dict(data_shape=(3, 20, 20), max_crop_size=18, min_crop_size=18, pad=3,
                          fill_value=7, dtype='uint8'),
    'part_by_bytes': dict(data_shape=(3, 16, 16), resize=16, num_parts=3, part_index=1,
                          dtype='uint8'),
    'part_by_index': dict(data_shape=(3, 16, 16), resize=16, num_parts=3, part_index=2,
                          path_imgidx='data.idx', dtype='uint8'),
    'normalized': dict(data_shape=(3, 16, 16), resize=20, mean_r=123.68, mean_g=116.28,
                       mean_b=103.53, std_r=58.395, std_g=57.12, std_b=57.375, scale=1 / 255.),
    # near: OpenCV's bicubic may round one level differently across versions
    'bicubic': dict(data_shape=(3, 16, 16), resize=22, inter_method=2, dtype='uint8'),
}
