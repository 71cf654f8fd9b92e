#pragma once

class QThreadPool;

/** The pool long work runs on (assessments, transfers, diffs), apart from Qt's global pool. */
QThreadPool *jobPool();
