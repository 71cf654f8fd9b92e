#pragma once

#include "core/result.h"
#include "csv/textencoding.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

class QIODevice;

/**
 * Streaming CSV reader on top of libcsv (strict mode).
 *
 * Handles quotes, doubled quotes, embedded newlines, CRLF/LF/CR, a UTF-8 byte order mark, `,` `;`
 * and tab delimiters (detected from the first line) and UTF-8 or Windows-1252 text. Every field
 * is handed over as UTF-8. Memory is bounded by the longest record, never by the file.
 *
 * Format errors stop the read and say where: a ragged row at the line where the record starts;
 * binary content, mixed encodings, an over-long field or a file that ends inside a quoted field at
 * the line where that field starts; malformed quoting at the line of the stray quote. Unquoted
 * fields lose leading and trailing spaces and tabs (libcsv's rule).
 *
 * Encoding is decided by the first non-ASCII field: valid UTF-8 makes the file UTF-8 (and a later
 * invalid sequence an error), anything else Windows-1252. A Windows-1252 file whose later bytes
 * happen to form valid UTF-8 cannot be told apart and is read as Windows-1252.
 */
class CsvReader
{
    Q_DECLARE_TR_FUNCTIONS(CsvReader)

public:
    struct Options
    {
        char delimiter = 0;                 ///< 0: detect from the first line
        qsizetype maxFieldBytes = 1 << 20;  ///< a longer field is an error (an unclosed quote)
        int maxFields = 4096;               ///< a wider record is an error
        bool requireEqualFieldCounts = true;///< every record as wide as the first (the header)
        qsizetype chunkBytes = 1 << 20;     ///< read size
    };

    /// Called for each non-blank record; `line` is where it starts (1-based). Return false to stop.
    using RecordHandler = std::function<bool(qint64 line, std::span<const QByteArrayView> fields)>;
    /// Called after each chunk with the bytes read so far. Return false to stop (cancel).
    using ChunkHandler = std::function<bool(qint64 bytesRead)>;

    explicit CsvReader(QString sourceName);
    CsvReader(QString sourceName, Options options);
    ~CsvReader();
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;

    /// Reads the device (opened for reading) to its end. False on a format or read error (see
    /// error()) or when a handler returned false (stopped(); error() set only if fail() was called).
    bool read(QIODevice &device, const RecordHandler &onRecord, const ChunkHandler &onChunk = {});

    /// For a handler that rejects a record: records an error about `line` of this source.
    void fail(qint64 line, const QString &message, const QString &hint = {});

    bool hasError() const { return m_error.has_value(); }
    const Error &error() const { return *m_error; }
    bool stopped() const { return m_stopped; }

    char delimiter() const { return m_delimiter; }
    TextEncoding encoding() const { return m_encoding; }
    bool hadByteOrderMark() const { return m_bom; }
    qint64 recordCount() const { return m_records; }
    qint64 bytesRead() const { return m_bytesRead; }
    const QString &sourceName() const { return m_source; }

    /// The delimiter a file with this first chunk uses: the most frequent of `,` `;` tab outside
    /// quotes on the first line (comma when none).
    static char detectDelimiter(QByteArrayView firstChunk);

private:
    static void fieldCallback(void *data, size_t len, void *self);
    static void rowCallback(int terminator, void *self);
    void onField(const char *data, size_t len);
    void onRow(int terminator);
    bool parse(const char *data, size_t len);
    QString where(qint64 line) const;

    struct Parser;
    std::unique_ptr<Parser> m_parser;
    QString m_source;
    Options m_options;
    const RecordHandler *m_onRecord = nullptr;

    char m_delimiter = ',';
    TextEncoding m_encoding = TextEncoding::Undecided;
    bool m_bom = false;

    std::string m_arena;                          // the current record's fields, UTF-8
    std::vector<std::pair<size_t, size_t>> m_spans; // offset, length into m_arena
    std::vector<QByteArrayView> m_views;
    std::string m_scratch;
    qint64 m_nextLine = 1;       // line at which the next record starts
    qint64 m_rowNewlines = 0;    // newlines inside the current record's finished fields
    bool m_lastWasCr = false;    // previous terminator was a CR (so a following LF is its pair)
    int m_width = -1;            // field count of the first record
    qint64 m_records = 0;
    qint64 m_bytesRead = 0;
    bool m_stopped = false;
    std::optional<Error> m_error;
};
