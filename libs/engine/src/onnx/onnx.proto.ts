/**
 * The ONNX protobuf messages the compiler emits, as plain typed objects, and their
 * encoders. Field numbers follow onnx/onnx.proto (ONNX 1.16); each is noted beside its use.
 * Reference: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto
 */
import { ProtoWriter } from './protobuf.writer';

/** TensorProto.DataType values. */
export const OnnxDataType = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11 } as const;
export type OnnxElemType = keyof typeof OnnxDataType;

export interface TensorProto {
  readonly name: string;
  readonly dataType: OnnxElemType;
  readonly dims: readonly number[];
  /** Little-endian element bytes (TensorProto.raw_data). */
  readonly rawData: Uint8Array;
}

export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: TensorProto }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly number[] };

export interface NodeProto {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface ValueInfoProto {
  readonly name: string;
  readonly elemType: OnnxElemType;
  /** number = dim_value, string = dim_param (symbolic). */
  readonly shape: readonly (number | string)[];
}

export interface GraphProto {
  readonly name: string;
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
}

export interface ModelProto {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graph: GraphProto;
}

// AttributeProto.AttributeType
const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function writeTensor(w: ProtoWriter, t: TensorProto): void {
  if (t.dims.length > 0) w.packedVarints(1, t.dims); // dims
  w.varint(2, OnnxDataType[t.dataType]); // data_type
  w.string(8, t.name); // name
  w.bytes(9, t.rawData); // raw_data
}

function writeAttribute(w: ProtoWriter, name: string, a: AttributeValue): void {
  w.string(1, name); // name
  switch (a.type) {
    case 'float': w.float(2, a.value); break; // f
    case 'int': w.varint(3, a.value); break; // i
    case 'string': w.string(4, a.value); break; // s
    case 'tensor': w.message(5, (m) => writeTensor(m, a.value)); break; // t
    case 'floats': w.packedFloats(7, a.value); break; // floats
    case 'ints': w.packedVarints(8, a.value); break; // ints
  }
  w.varint(20, ATTR_TYPE[a.type]); // type
}

function writeNode(w: ProtoWriter, n: NodeProto): void {
  for (const i of n.inputs) w.string(1, i); // input
  for (const o of n.outputs) w.string(2, o); // output
  if (n.name) w.string(3, n.name); // name
  w.string(4, n.opType); // op_type
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, (m) => writeAttribute(m, name, a)); // attribute
  if (n.domain) w.string(7, n.domain); // domain
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  w.string(1, v.name); // name
  w.message(2, (type) => // type: TypeProto
    type.message(1, (tensor) => { // tensor_type: TypeProto.Tensor
      tensor.varint(1, OnnxDataType[v.elemType]); // elem_type
      tensor.message(2, (shape) => { // shape: TensorShapeProto
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.varint(1, d) : dim.string(2, d))); // dim: dim_value | dim_param
        }
      });
    }),
  );
}

function writeGraph(w: ProtoWriter, g: GraphProto): void {
  for (const n of g.nodes) w.message(1, (m) => writeNode(m, n)); // node
  w.string(2, g.name); // name
  for (const t of g.initializers) w.message(5, (m) => writeTensor(m, t)); // initializer
  for (const v of g.inputs) w.message(11, (m) => writeValueInfo(m, v)); // input
  for (const v of g.outputs) w.message(12, (m) => writeValueInfo(m, v)); // output
}

/** Serializes a ModelProto to bytes that `InferenceSession.create(bytes)` accepts. */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion); // ir_version
  w.string(2, model.producerName); // producer_name
  w.string(3, model.producerVersion); // producer_version
  w.message(7, (m) => writeGraph(m, model.graph)); // graph
  w.message(8, (m) => m.string(1, '').varint(2, model.opsetVersion)); // opset_import: default domain
  return w.finish();
}
