// The dual-ratio weight banks: for every pass (layer, direction) a W_x bank and a W_h bank per
// PE (W_r rows live in the W_h bank), and the pass's bias memory. WeightLayout places their
// DRAM images (compress/weight_layout.h); the host writes them there, the DMA brings them in.
#pragma once

#include <cstdint>
#include <vector>

#include "compress/bank_format.h"
#include "compress/weight_layout.h"
#include "config/arch_config.h"

namespace sparrow {

// The geometry of one pass's matrices as programmed into the hardware: shapes, row lengths and
// bank sizes, no weights.
struct PassGeometry {
  int layer = 0;
  int direction = 0;
  int input_size = 0;
  int hidden = 0;
  int state = 0;             // proj_size or hidden
  EncodedMatrix wx, wh, wr;  // banks empty; wr.rows == 0 without projection
  const EncodedMatrix& matrix(Matrix m) const {
    return m == Matrix::kWx ? wx : (m == Matrix::kWh ? wh : wr);
  }
};

// Little-endian two's complement values of `bytes` bytes each.
void put_values(std::vector<uint8_t>& out, const std::vector<int64_t>& v, int bytes);
std::vector<int64_t> get_values(const uint8_t* in, size_t n, int bytes);

class WeightBank {
 public:
  // Takes one pass-matrix's bank images as the DMA brought them and decodes them for the MAC
  // array (decoding happens once; streamed weights bring the same bytes every step).
  void load(const EncodedMatrix& geometry, const std::vector<std::vector<uint8_t>>& images,
            int scale_bits);
  bool loaded() const { return loaded_; }
  const EncodedMatrix& encoded() const { return encoded_; }
  const DecodedMatrix& decoded() const { return decoded_; }

 private:
  bool loaded_ = false;
  EncodedMatrix encoded_;
  DecodedMatrix decoded_;
};

}  // namespace sparrow
