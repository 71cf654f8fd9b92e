#pragma once

#include "csv/textencoding.h"

#include <QByteArrayView>

#include <array>
#include <functional>
#include <span>
#include <string>
#include <vector>

class QIODevice;

/**
 * A fast reader for the common shape of CSV, for the integrity diff's millions of records: a byte
 * scanner over a large read buffer that hands over the same records CsvReader would (same
 * fields, same lines), and also where each record's line starts in the stream.
 *
 * It reads what exports are made of: unquoted fields (spaces and tabs around them dropped, as
 * CsvReader drops them), quoted fields with doubled quotes and line breaks, CRLF, LF and CR line
 * ends, blank lines, a UTF-8 byte order mark, ASCII and UTF-8 text. At anything else it stops and
 * says so (Outcome::Unsure) without handing over the record it stopped at: malformed quotes, a
 * NUL byte, text that is not UTF-8 (a Windows-1252 file, mixed encodings), a ragged row, an
 * over-long field or record, a read error, an empty file. The caller then reads the stream with
 * CsvReader, which knows every rule and names the error, skipping the records already handed
 * over (recordsHandled()).
 */
class CsvScanner
{
public:
    /// A record: its fields (valid during the call), the line it starts on (1-based) and the byte
    /// offset in the stream where that line starts.
    struct Record
    {
        std::span<const QByteArrayView> fields;
        qint64 line = 0;
        qint64 offset = 0;
    };
    /// Return false to stop.
    using Handler = std::function<bool(const Record &record)>;

    enum class Outcome {
        Done,    ///< the stream was read to its end
        Stopped, ///< the handler returned false
        Unsure,  ///< something CsvScanner does not read: read on with CsvReader
    };

    /// `delimiter` as CsvReader detected it for this stream (its header row).
    explicit CsvScanner(char delimiter, qsizetype bufferBytes = 4 << 20);

    /// Reads the device from its start. Every record is checked to be as wide as the first.
    Outcome scan(QIODevice &device, const Handler &handler);

    /**
     * Reads `bytes`, a piece of a stream cut after a line end, with records `width` fields wide
     * (the header's). Lines and offsets are counted from the piece's start (line 1, offset 0); no
     * byte order mark is looked for, and a piece without records is Done. The bytes are changed
     * (doubled quotes undone in place).
     */
    Outcome scanPiece(char *bytes, size_t size, int width, const Handler &handler);

    /// Records handed to the handler so far (the header row included).
    qint64 recordsHandled() const { return m_records; }

    static constexpr qsizetype kMaxFieldBytes = 1 << 20; ///< as CsvReader's default
    static constexpr int kMaxFields = 4096;              ///< as CsvReader's default

private:
    enum class Parse { Complete, NeedMore, Unsure };
    Parse parseRecord(char *begin, char *end, bool atEnd, char *&next);
    /// One record at `begin` (after blank lines were passed): checked and handed over.
    Outcome record(char *begin, char *end, bool atEnd, char *&next, qint64 line, qint64 lineStart,
                   const Handler &handler, bool &needMore);
    bool checkText(const char *begin, const char *end);

    char m_delimiter;
    std::array<unsigned char, 256> m_classes; ///< what each byte means in an unquoted field
    std::vector<char> m_buffer;
    struct Field
    {
        char *begin;
        char *end;
        bool doubledQuotes;
    };
    std::vector<Field> m_fields;
    std::vector<QByteArrayView> m_views;
    qint64 m_lineEnds = 0;   ///< line ends of the fields parsed in the current record
    const char *m_textBegin = nullptr; ///< the current record's first byte >= 0x80, or null
    const char *m_textEnd = nullptr;   ///< after its last one
    void noteText(const char *p)
    {
        if (!m_textBegin)
            m_textBegin = p;
        m_textEnd = p + 1;
    }
    int m_width = -1;
    qint64 m_records = 0;
    TextEncoding m_encoding = TextEncoding::Undecided;
};
