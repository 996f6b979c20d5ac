from ._native import Codec as Codec, Err as Err, encode as encode
