<?php
// A plain PHP application (php -S) the proxy tests run behind Vigil.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === '/work') {
    // a bounded-capacity upstream: each request holds a worker for ?ms milliseconds
    usleep(((int)($_GET['ms'] ?? 20)) * 1000);
    header('Content-Type: application/json');
    echo json_encode(['worked' => true]);
} elseif ($path === '/hello') {
    header('Content-Type: text/html; charset=utf-8');
    echo str_repeat("<p>Hello from PHP " . PHP_VERSION . "</p>\n", 50);
} elseif ($path === '/form' && $_SERVER['REQUEST_METHOD'] === 'POST') {
    header('Content-Type: application/json');
    echo json_encode(['name' => $_POST['name'] ?? null, 'len' => strlen(file_get_contents('php://input'))]);
} elseif ($path === '/headers') {
    header('Content-Type: application/json');
    header('X-Powered-By: php-test');
    echo json_encode(getallheaders());
} else {
    http_response_code(404);
    header('Content-Type: application/json');
    echo json_encode(['error' => 'not found', 'path' => $path]);
}
