#pragma once

// What one comparison of the integrity review needs, copied on the GUI thread for its worker.

#include "integrity/integrityreview.h"

class HttpClient;

struct IntegrityReview::Job
{
    QString key; ///< StageRef::id() or kFilesKey
    bool isStage = false;
    StageRef ref;
    QString projectPath;
    ConnectionSettings target;
    QList<FieldMappingRow> rows;
    HttpClient *client = nullptr;
    // On demand:
    QString sourcePath;
    QString targetPath;
    QString mappingFile;
};
