// The resources library exists for its compiled-in data (see CMakeLists.txt).
