#pragma once

// The state of one BrevoConnector batch write, shared by brevoimport.cpp (sending, polling)
// and brevoverify.cpp (reading back); not an API.

#include "connectors/brevo/brevoconnector_p.h"

#include <QPromise>

namespace BrevoImport {

using BrevoInternal::SharedPtr;

/// One POST /contacts/import: rows of one list, blocklisted or not.
struct Chunk
{
    qint64 listId = 0;
    bool blacklist = false;
    QList<QByteArray> rows; // compact JSON of each row
    QStringList emails;     // lower-cased, one per row
    qint64 processId = 0;
    bool finished = false; // the process said completed
};

struct Job
{
    SharedPtr s;
    QPromise<Result<BatchResult>> promise;
    BatchResult result;
    qint64 listId = 0;
    bool suppressions = false;
    QList<TargetContact> contacts; // the ones to write
    QList<Chunk> chunks;
    int chunk = 0;
    int waitedMs = 0;
    int intervalMs = 0;
    QDateTime since;                  // read-back from here
    QHash<QString, QJsonObject> seen; // email -> contact as read back
    QStringList missing;              // not in the listing: asked for one by one
    int missingAt = 0;
    QHash<QString, WriteFailure> failures; // email -> why not written (code, message)
    QHash<QString, QSet<qint64>> listsOf;  // email -> its lists as read back
    bool tagsDone = false;                 // the tag lists step has run (brevotags.cpp)
};
using JobPtr = std::shared_ptr<Job>;

/// Answers the batch: with `error`, or with what the read-back found.
void finishJob(const JobPtr &job, std::optional<Error> error = std::nullopt);
/// Sends the next import, or answers the batch after the last.
void nextChunk(const JobPtr &job);
/// Reads the chunk's contacts back, then goes on with nextChunk().
void verify(const JobPtr &job);
/// Notes the lists of a contact read back (for the tag lists step).
void noteLists(const JobPtr &job, const QString &email, const QJsonObject &contact);
/// Puts the written contacts into their tag lists, then answers with finishJob().
void writeTags(const JobPtr &job);

} // namespace BrevoImport
