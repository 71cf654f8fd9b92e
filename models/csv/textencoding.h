#pragma once

#include <QByteArrayView>
#include <QString>

#include <string>

/** The text encodings Stagecoach reads exports in (the ones the platforms' exports and imports use). */
enum class TextEncoding {
    Undecided,   ///< only ASCII seen so far: both encodings read it the same way
    Utf8,
    Windows1252,
};

QString encodingName(TextEncoding encoding);

namespace TextCodec {

/// True when every byte is below 0x80.
bool isAscii(QByteArrayView bytes);

/// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool isValidUtf8(QByteArrayView bytes);

/// Appends the Windows-1252 text as UTF-8 (bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D, undefined in
/// Windows-1252, map to the C1 controls of the same value, as Windows does).
void appendWindows1252AsUtf8(std::string &out, QByteArrayView bytes);

} // namespace TextCodec
