import CCurl
import CShims

// libcurl's C callbacks. Each receives its Swift object through an `Unmanaged` pointer
// (passed unretained: `CurlEasy.perform` keeps the objects alive for the transfer).

/// CURLOPT_READFUNCTION: fills libcurl's buffer from the `UploadSource`.
let curlReadCallback: ncaas_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    let source = Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue()
    return source.read(into: buffer, capacity: size * count)
}

/// CURLOPT_SEEKFUNCTION: rewinds the `UploadSource` when libcurl resends the body.
let curlSeekCallback: ncaas_curl_seek_callback = { context, offset, origin in
    guard let context, origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    let source = Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue()
    return source.seek(to: Int64(offset)) ? Int32(CURL_SEEKFUNC_OK) : Int32(CURL_SEEKFUNC_FAIL)
}

/// CURLOPT_WRITEFUNCTION: hands body bytes to the `ResponseCollector`.
let curlWriteCallback: ncaas_curl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    return collector.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// CURLOPT_HEADERFUNCTION: hands each status and header line to the `ResponseCollector`.
let curlHeaderCallback: ncaas_curl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    collector.receiveHeaderLine(String(decoding: bytes, as: UTF8.self))
    return size * count
}
